-- Test tables for the PostgreSQL source (loaded by Scripts/postgres-test-cluster).
CREATE TABLE types_sample (
  id int4 PRIMARY KEY,
  amount numeric(10, 2),
  small int2,
  big int8,
  label text,
  code varchar(8),
  flag bool,
  day date,
  moment timestamp,
  instant timestamptz,
  token uuid
);
INSERT INTO types_sample VALUES
  (1, 17.90, 7, 9007199254740993, 'Hà Nội', 'HN', true, '2024-05-01', '2024-05-01 12:30:00.25', '2024-05-01 12:30:00+00', '00000000-0000-0000-0000-000000000001'),
  (2, -0.05, -32768, -9007199254740993, 'Đà Nẵng', 'DN', false, '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 17:00:00+00', NULL),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

-- The procedure catalogue by service level: 386 at level 3, 170 at level 4, 1,883 in all.
CREATE TABLE procedures (code text PRIMARY KEY, level int2 NOT NULL);
INSERT INTO procedures
SELECT 'TT-' || lpad(n::text, 5, '0'), CASE WHEN n <= 386 THEN 3 WHEN n <= 556 THEN 4 ELSE 2 END
FROM generate_series(1, 1883) AS n;
