#!/usr/bin/env bash
# Fuzz/run.sh TARGET|all SECONDS [libFuzzer flags…]
#
# Builds the fuzz package (libFuzzer and AddressSanitizer; the first build compiles the
# dependencies again, a few minutes), writes the seed corpus (make-corpus.py) and fuzzes TARGET,
# or every target in turn, for SECONDS each, with a 1 s limit per input and 256 MB of memory.
# New interesting inputs are kept in corpus/TARGET (git-ignored) for the next campaign.
# A crash, a timeout or running out of memory fails the run; the input is kept in
# artifacts/TARGET/ and its path and a hex dump are printed. `FUZZ_TARGET=list` lists targets.
# Reproduce one input: FUZZ_TARGET=TARGET SWIFT_BACKTRACE=enable=no .build/debug/OpenDataFuzz FILE
set -euo pipefail
cd "$(dirname "$0")"
[ $# -ge 2 ] || { echo "usage: $0 TARGET|all SECONDS [libFuzzer flags]" >&2; exit 2; }
target="$1" seconds="$2"
shift 2

# SwiftPM does not notice files added to a path dependency (the tool's own sources) once it has
# planned a build; dropping the plan makes it look again (objects are reused).
rm -f .build/debug.yaml .build/debug/description.json
mkdir -p .build
status=0
swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >.build/fuzz-build.log 2>&1 || status=$?
grep -v -e "Cannot export local symbol '__asan" -e 'PrivacyInfo.xcprivacy' -e 'found 1 file(s) which are unhandled' \
  .build/fuzz-build.log || true
[ "$status" -eq 0 ] || { echo "error: the fuzz build failed (exit $status)" >&2; exit 1; }
binary=.build/debug/OpenDataFuzz
seeds=.build/seeds
rm -rf "$seeds"
python3 make-corpus.py "$seeds"

# The Swift runtime's own crash handler would be reported by ASan after a real crash.
export SWIFT_BACKTRACE=enable=no
# No LeakSanitizer (Foundation and the Swift runtime keep caches for the life of the process);
# a small quarantine, so that memory measures the parser rather than ASan (default 256 MB).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:quarantine_size_mb=16}"

# The dictionary of a target's format.
dictionary() {
  case "$1" in
    csv-*) echo dictionaries/csv.dict ;;
    number-*) echo dictionaries/number.dict ;;
    json | ndjson) echo dictionaries/json.dict ;;
    xlsx | xlsx-parts) echo dictionaries/xlsx.dict ;;
    *) echo "dictionaries/$1.dict" ;;
  esac
}

failed=()
fuzz() {
  local name="$1"
  shift
  mkdir -p "corpus/$name" "artifacts/$name"
  local log="artifacts/$name.log"
  echo "== $name: ${seconds} s"
  local status=0
  FUZZ_TARGET="$name" "$binary" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=256 \
    -use_value_profile=1 -print_final_stats=1 -dict="$(dictionary "$name")" -artifact_prefix="artifacts/$name/" \
    "$@" "corpus/$name" "$seeds/$name" >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)' "$log" || true
  local found
  found=$(find "artifacts/$name" -type f | sort)
  if [ "$status" -ne 0 ] || [ -n "$found" ]; then
    failed+=("$name")
    echo "FAIL: $name (exit $status); the log's end:"
    tail -40 "$log"
    for input in $found; do
      echo "-- input kept: $(pwd)/$input ($(wc -c <"$input") bytes)"
      head -c 512 "$input" | od -A x -t x1z -v
    done
  fi
}

if [ "$target" = all ]; then
  for name in $(FUZZ_TARGET=list "$binary"); do fuzz "$name" "$@"; done
else
  fuzz "$target" "$@"
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "error: fuzzing found problems in: ${failed[*]} (inputs in $(pwd)/artifacts/)" >&2
  exit 1
fi
