#!/usr/bin/env bash
# Type-checks and compiles the firmware, drivers, calibration tool and bench to dist/.
# Run by `npm install` (prepare) so that every command in package.json `bin` works right away.
#   ./build.sh            type-check and compile (what `npm install` runs)
#   ./build.sh --test     then run the whole test suite
#   ./build.sh --release  then pack dist/release/cart-firmware-<version>-<commit>.tar.gz (install/pack-release.sh)
set -euo pipefail
cd "$(dirname "$0")"
run_tests=false
release=false
for arg in "$@"; do
  case "$arg" in
    --test) run_tests=true ;;
    --release) release=true ;;
    *) echo "usage: ./build.sh [--test] [--release]" >&2; exit 2 ;;
  esac
done
rm -rf dist
npx tsc -p tsconfig.json
# The shopper's screen is plain HTML, CSS and a script, served from beside the compiled server.
cp -r firmware/display/page dist/firmware/display/
# TypeBox as one file instead of its 250 modules (firmware/typebox.ts says why),
# minified: V8 reads every byte of it at start-up, and half as many take 5 ms less.
npx esbuild dist/firmware/typebox.js --bundle --minify --platform=node --format=esm --target=node20 --sourcemap \
  --allow-overwrite --outfile=dist/firmware/typebox.js --log-level=warning
# cart-bench runs bundled (test/bench/bundle.ts says why); the cart itself runs dist/ as tsc built it.
node dist/test/bench/bundle.js dist/test/bench/cli.js dist/bench
chmod +x dist/firmware/main.js dist/bench/cart-bench.js dist/calibration/cli.js
if $run_tests; then npx tap; fi
if $release; then bash install/pack-release.sh; fi
