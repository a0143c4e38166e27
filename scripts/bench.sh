#!/usr/bin/env bash
# Benchmarks (numbers printed, nothing asserted): native plan/search timings, then the release
# site in headless Chromium. Builds the site first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh
wasm=$(ls dist/*_bg.wasm)
echo "wasm: $(stat -c %s "$wasm") bytes raw, $(gzip -9c "$wasm" | wc -c) bytes gzip"
cargo run -q --release -p atlas-data --bin atlas-bench -- .
node bench/reader-bench.mjs
node bench/map-bench.mjs
