#!/usr/bin/env bash
# Build the release site into dist/ with trunk, using the wasm route chosen by setup.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
route="$(cat target/setup/wasm-route 2>/dev/null || true)"
[ -n "$route" ] || { echo "build.sh: run scripts/setup.sh first" >&2; exit 1; }
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true RUSTUP_AUTO_INSTALL=0
if [ "$route" = B ]; then
  # Debian's Rust builds std for wasm from source (TOOLCHAIN.md, route B).
  export PATH="$root/node_modules/.bin:/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
fi
start=$(date +%s)
trunk build --release --offline "$@"
echo "[build] release site in dist/ after $(( $(date +%s) - start )) s" >&2
