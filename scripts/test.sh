#!/usr/bin/env bash
# README command 2: every test. Native unit tests of the core crates, the data checks
# (validator over every layer and quote), the release build, and the end-to-end tests of the
# built site in headless Chromium. Exits non-zero on the first failing stage.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export NODE_EXTRA_CA_CERTS="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"

stage() { printf '\n=== %s\n' "$*"; }

stage "set-up"
bash scripts/setup.sh

stage "seeds are the plans byte for byte"
if [ -d ../shared/seeds ]; then
  for f in ../shared/seeds/*.txt; do cmp "$f" "seeds/$(basename "$f")"; done
  echo "seeds/ matches ../shared/seeds/"
else
  echo "../shared/seeds not beside the checkout: skipped the comparison"
fi

stage "native tests (core logic, validator, data checks)"
cargo test -p atlas-core -p atlas-data

stage "format (cargo fmt --check)"
cargo fmt --all --check

stage "lint (clippy, warnings are errors: the native crates, and the app for wasm32)"
cargo clippy -q -p atlas-core -p atlas-data --all-targets -- -D warnings
bash scripts/clippy-wasm.sh

stage "data report (atlas-validate)"
cargo run -q -p atlas-data --bin atlas-validate -- .

stage "release build"
bash scripts/build.sh

stage "end-to-end tests in headless Chromium"
node --test --test-concurrency=1 tests/e2e/
