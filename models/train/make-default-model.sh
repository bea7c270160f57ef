#!/usr/bin/env bash
# Makes the default model from nothing: renders its data, trains it, measures
# it on products it never saw, and writes models/default/ (the ONNX file and
# its manifest). A few minutes on one core.
#   models/train/make-default-model.sh [WORK_DIR]     (default bench-out/vision-data)
# Needs Debian's python3-torch and python3-numpy (apt-get install python3-torch
# python3-numpy) and the project's npm packages.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${1:-bench-out/vision-data}"
python="${PYTHON:-/usr/bin/python3}"
npx tsx models/train/dataset.ts "$work"
"$python" models/train/train.py "$work" models/default/product-embedder.onnx
npx tsx models/train/calibrate.ts "$work" models/default
