#!/usr/bin/env bash
# Clippy on the app crate for wasm32, with the wasm route chosen by setup.sh (as build.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
route="$(cat target/setup/wasm-route 2>/dev/null || true)"
[ -n "$route" ] || { echo "clippy-wasm.sh: run scripts/setup.sh first" >&2; exit 1; }
export RUSTUP_AUTO_INSTALL=0
if [ "$route" = B ]; then
  # Debian's Rust builds std for wasm from source (TOOLCHAIN.md, route B).
  export PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
fi
cargo clippy -q -p plan-atlas --target wasm32-unknown-unknown -- -D warnings
