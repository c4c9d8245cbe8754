#!/usr/bin/env bash
# The README's main command (make demo): serves the demo at
# http://127.0.0.1:8080/. With --headless (make demo-headless) it runs a
# scripted session in headless Chromium instead and prints what happened.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
if [ ! -f build/demo-site/app/lazylink.json ]; then
  echo "demo: build/demo-site is missing; run make demo (it builds first)" >&2
  exit 1
fi
if [ "${1:-}" = "--headless" ]; then
  exec node scripts/demo_headless.mjs
fi
exec build/bin/lazylink serve --demo --port "${LAZYLINK_DEMO_PORT:-8080}"
