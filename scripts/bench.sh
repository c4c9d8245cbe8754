#!/usr/bin/env bash
# make bench: every benchmark of the project in one go, then one table.
#   parse           bench/parse/run.mjs (reader vs wasm-objdump)
#   link            bench/link/run.mjs (link overhead; Chromium and Node)
#   scale           bench/scale/run.mjs (30,000 symbols; vs Emscripten 3.1.6)
#   plt             bench/plt/run.mjs (resolved PLT call vs direct call)
#   startup         bench/startup/run.mjs (split vs monolithic, 10 Mbit/s; without the
#                   obsolete "proto" variant, which the shipped split path now beats)
#   components      bench/components/ (typed boundaries), when present
#   invoke          bench/invoke/run.mjs (exceptions: wasm vs JS invoke_ wrappers)
# Writes bench/out/<name>.json and .log, then bench/results.md and
# bench/results.json (bench/report.mjs). A benchmark that fails does not stop
# the others; the exit status is non-zero if any failed (a missed target is
# a result, not a failure). See bench/README.md.
#
#   scripts/bench.sh [NAME...]      only these benchmarks (the table keeps the rest as not run)
# Environment: LAZYLINK_BUILD (default build), BENCH_RUNS (default 9).
set -uo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
build=${LAZYLINK_BUILD:-build}
runs=${BENCH_RUNS:-9}
out=bench/out
mkdir -p "$out"
all=(parse link scale plt startup components invoke)
selected=("$@")
[ ${#selected[@]} -eq 0 ] && selected=("${all[@]}")

echo "[bench] building the benchmark modules (bench_apps, bench_scale) in $build/wasm"
if [ ! -f "$build/wasm/build.ninja" ]; then
  echo "[bench] $build/wasm is not configured: run 'make build' first" >&2
  exit 2
fi
if ! cmake --build "$build/wasm" --target bench_apps bench_scale bench_invoke; then
  echo "[bench] building the benchmark modules failed" >&2
  exit 2
fi

cpus=$(nproc)
load=$(cut -d' ' -f1 /proc/loadavg)
echo "[bench] load average $load on $cpus CPUs"
if awk -v l="$load" -v c="$cpus" 'BEGIN { exit !(l > c) }'; then
  echo "[bench] warning: the machine is busy (load $load > $cpus CPUs): absolute times will be inflated; ratios are in-run"
fi

status="$out/status.json"
[ -f "$status" ] || echo '{}' > "$status"
record() {  # name status [reason] [log]
  node -e '
    const fs = require("fs");
    const [file, name, status, reason, log] = process.argv.slice(1);
    const s = JSON.parse(fs.readFileSync(file, "utf8"));
    s[name] = { status, reason: reason || undefined, log: log || undefined, date: new Date().toISOString() };
    fs.writeFileSync(file, JSON.stringify(s, null, 2) + "\n");
  ' "$status" "$@"
}

failed=0
run() {  # name command...
  local name=$1; shift
  local log="$out/$name.log"
  echo
  echo "[bench] == $name: $* =="
  local t0=$SECONDS
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 0 ]; then
    record "$name" ok "" "$log"
    echo "[bench] $name done in $((SECONDS - t0)) s"
  else
    record "$name" "exit $rc" "" "$log"
    echo "[bench] $name FAILED (exit $rc); log: $log"
    failed=1
  fi
}

wanted() { local x; for x in "${selected[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1; }

if wanted parse; then
  if [ -x bench/parse/run.sh ]; then
    run parse bench/parse/run.sh
  else
    run parse node bench/parse/run.mjs --build "$build"
  fi
fi
wanted link && run link node bench/link/run.mjs --build "$build" --runs "$runs" --node-runs "$((2 * runs + 1))"
wanted scale && run scale node bench/scale/run.mjs --build "$build" --runs "$runs"
wanted plt && run plt node bench/plt/run.mjs --build "$build"
wanted startup && run startup node bench/startup/run.mjs --build "$build" --runs "$runs" --no-proto
if wanted components; then
  if [ -x bench/components/run.sh ]; then
    run components bench/components/run.sh
  elif [ -f bench/components/run.mjs ]; then
    run components node bench/components/run.mjs "$build/wasm/tests/components"
  else
    echo
    echo "[bench] == components: not available (bench/components/ has no run.sh or run.mjs yet) =="
    record components skipped "bench/components/run.mjs is not there yet"
  fi
fi

wanted invoke && run invoke node bench/invoke/run.mjs --build "$build"

echo
node bench/report.mjs || failed=1
exit $failed
