#!/usr/bin/env bash
# The README's main command (make demo). Until the demo application lands
# (issue 6) it prints what `lazylink inspect` reads in the modules the build
# produced, and runs one split program with the linker.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
bin=build/bin/lazylink
modules=(build/wasm/tests/modules/*.wasm web/dist/libstd.wasm web/dist/libstd-eh.wasm)
[ -f build/wasm/demo/sqlite/libsqlite.wasm ] && modules+=(build/wasm/demo/sqlite/libsqlite.wasm)

echo "== lazylink inspect: the modules this build produced =="
for m in "${modules[@]}"; do
  "$bin" inspect --json "$m" > "build/inspect-$(basename "$m").json"
done
node scripts/inspect_report.mjs build/inspect-*.json
echo
echo "Full text for one module: $bin inspect ${modules[0]}"
