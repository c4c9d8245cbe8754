#!/usr/bin/env bash
# Installs what lazylink needs on a Debian machine, and only what is missing.
#   Debian packages: compilers, CMake/Ninja, googletest, Google Benchmark,
#   Emscripten, wabt, Chromium, header-only libraries.
#   npm packages: from package-lock.json (npm ci), scripts not run.
# Safe to run again: it checks first and prints what it does.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*"; }

# Debian package -> why we need it (docs/dependencies.md says more).
packages=(
  cmake ninja-build make git ca-certificates   # build
  clang lld libclang-rt-14-dev                 # native build, sanitizers, libFuzzer
  googletest libbenchmark-dev                  # unit tests, benchmarks
  nlohmann-json3-dev libcli11-dev              # JSON, command line
  emscripten binaryen wabt                     # wasm toolchain; wasm-objdump for checks
  nodejs npm                                   # JS edge, tests, tools
  chromium fonts-liberation                    # browser tests (driven by playwright-core)
)

missing=()
for p in "${packages[@]}"; do
  # node/npm may come from another Debian-compatible source (e.g. nodesource);
  # accept the commands when present.
  case $p in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "Debian packages installed"
else
  say "Debian packages: all present"
fi

# npm packages pinned by package-lock.json. --ignore-scripts: we only need
# playwright-core's JS and better-sqlite3's bundled SQLite sources, never a
# native addon build or a browser download.
stamp=node_modules/.lazylink-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  say "installing npm packages from package-lock.json (npm ci --ignore-scripts)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
else
  say "npm packages: up to date"
fi
