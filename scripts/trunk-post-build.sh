#!/usr/bin/env bash
# Trunk post-build hook (atlas-site): shipped plan texts, the inline loader moved out for a strict
# CSP, the CSP as a <meta> in index.html, header files for static hosts (_headers,
# nginx-headers.conf), and last the offline service worker sw.js listing every built file.
# Native build: drop the wasm build-std variables that route B sets for trunk's own cargo.
set -euo pipefail
unset CARGO_UNSTABLE_BUILD_STD RUSTC_BOOTSTRAP CARGO_BUILD_TARGET
root="${TRUNK_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"
staging="${TRUNK_STAGING_DIR:?trunk sets TRUNK_STAGING_DIR}"
cargo run --quiet -p atlas-data --bin atlas-site -- "$staging" "$root"
