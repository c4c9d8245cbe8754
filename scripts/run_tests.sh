#!/usr/bin/env bash
# Runs every test through ctest and ends with one line of totals.
set -uo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
log=$(mktemp)
jobs=${LAZYLINK_TEST_JOBS:-2}
ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
rm -f "$log"
if [[ $summary =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
  failed=${BASH_REMATCH[1]}; total=${BASH_REMATCH[2]}
  echo "lazylink tests: $((total - failed)) passed, $failed failed (ctest, $total in all)"
else
  echo "lazylink tests: ctest printed no summary (exit $status)"
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
