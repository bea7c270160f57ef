#!/usr/bin/env bash
# npm run bench: every benchmark that runs in a few minutes, each beside its
# baseline. The fleet benchmark (test/bench/fleet.bench.ts) needs mosquitto
# and minutes of its own; run it by hand (docs/store-protocol.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
tsx=node_modules/.bin/tsx
sets=$(mktemp -d)
trap 'rm -rf "$sets"' EXIT

echo "== weight: the scale beside a naive indicator, on 15 generated harsh trips"
"$tsx" test/bench/generate.ts --profile harsh --seed 37 --count 15 --out "$sets/harsh" >/dev/null
"$tsx" test/bench/weight.bench.ts "$sets/harsh"
echo
echo "== barcodes: decoding beside a naive decoder"
"$tsx" test/bench/barcode.bench.ts
echo
echo "== replay: speed and memory against trip length"
"$tsx" test/bench/replay.bench.ts
echo
echo "== storage: commit latency, synchronous=FULL beside NORMAL"
"$tsx" test/bench/storage.bench.ts
echo
echo "== shopper's screen: commit to the page drawn in Chromium, beside a plain client of the event stream"
"$tsx" test/display/screen.bench.ts
echo
echo "== start-up: each command as a whole process, beside its former imports"
"$tsx" test/bench/startup.bench.ts
echo
echo "== catalog: a 200,000-product catalog beside the main-thread path (event-loop gaps)"
"$tsx" test/bench/catalog.bench.ts
