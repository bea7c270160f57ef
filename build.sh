#!/usr/bin/env bash
# Type-checks and compiles the firmware, drivers, calibration tool and bench to dist/.
# Run by `npm install` (prepare) so that every command in package.json `bin` works right away.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf dist
npx tsc -p tsconfig.json
chmod +x dist/firmware/main.js dist/test/bench/cli.js dist/calibration/cli.js 2>/dev/null || true
