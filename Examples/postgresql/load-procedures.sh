#!/usr/bin/env bash
# Loads the procedure catalogue of the digital-government example (its SQLite file)
# into the table thu_tuc of the PostgreSQL database that $DATABASE_URL names.
#   DATABASE_URL=postgresql://user:password@host:5432/db Examples/postgresql/load-procedures.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
: "${DATABASE_URL:?set DATABASE_URL to a libpq URL, e.g. postgresql://user@localhost:5432/opendata}"
python3 - "$root/Pipelines/vietnam-digital-government/administrative-procedures.sqlite" <<'PY' |
import csv, sqlite3, sys
writer = csv.writer(sys.stdout, lineterminator="\n")
for row in sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True).execute(
        "SELECT ma_thu_tuc, ten_thu_tuc, co_quan, muc_do, nam FROM thu_tuc ORDER BY ma_thu_tuc"):
    writer.writerow(row)
PY
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 \
  -c "DROP TABLE IF EXISTS thu_tuc" \
  -c "CREATE TABLE thu_tuc (ma_thu_tuc text PRIMARY KEY, ten_thu_tuc text NOT NULL, co_quan text NOT NULL, muc_do int2 NOT NULL, nam int2 NOT NULL)" \
  -c "\\copy thu_tuc FROM STDIN WITH (FORMAT csv)"
psql "$DATABASE_URL" -X -q -A -t -c "SELECT 'loaded ' || count(*) || ' procedures into thu_tuc' FROM thu_tuc"
