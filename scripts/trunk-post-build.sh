#!/usr/bin/env bash
# Trunk post-build hook: shipped plan texts, and the inline loader moved out for a strict CSP.
# Native build: drop the wasm build-std variables that route B sets for trunk's own cargo.
set -euo pipefail
unset CARGO_UNSTABLE_BUILD_STD RUSTC_BOOTSTRAP CARGO_BUILD_TARGET
root="${TRUNK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"
staging="${TRUNK_STAGING_DIR:?trunk sets TRUNK_STAGING_DIR}"
cargo run --quiet -p atlas-data --bin atlas-site -- "$staging" "$root"
