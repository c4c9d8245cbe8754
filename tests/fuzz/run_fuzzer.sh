#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time: run_fuzzer.sh BIN SECONDS CORPUS_DIR [SEED_DIR...]
# New inputs go to CORPUS_DIR (in the build tree); seed directories are only read.
# A crash, leak or sanitizer report makes libFuzzer exit non-zero, failing the test.
set -euo pipefail
bin=$1; seconds=$2; corpus=$3; shift 3
mkdir -p "$corpus" "$corpus.artifacts"
seeds=()
for d in "$@"; do [ -d "$d" ] && seeds+=("$d"); done
exec "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$corpus.artifacts/" "$corpus" "${seeds[@]}"
