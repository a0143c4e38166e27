#!/usr/bin/env bash
# Plan Atlas set-up: installs everything the build and the tests need, idempotently.
# Used by both README commands (scripts/serve.sh and scripts/test.sh) and by CI.
# Follows ../shared/TOOLCHAIN.md: rustup's wasm32 target when reachable (route A),
# otherwise Debian's Rust with build-std (route B). A second run finishes in seconds.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
state="$root/target/setup"
mkdir -p "$state"

WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14
export RUSTUP_AUTO_INSTALL=0

log() { printf '[setup] %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# 1. Browser for the end-to-end tests, and tools the scripts use.
# CJK fonts so screenshots and the browser tests render Chinese text, not boxes.
apt_install chromium chromium-driver curl ca-certificates fonts-noto-cjk

# 2. The wasm32 standard library.
wasm_sysroot_ok() {
  command -v rustc >/dev/null 2>&1 &&
    test -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib"
}
route_file="$state/wasm-route"
route="$(cat "$route_file" 2>/dev/null || true)"
if [ "$route" = A ] && ! wasm_sysroot_ok; then route=""; fi
if [ -z "$route" ]; then
  if wasm_sysroot_ok; then
    route=A
  elif command -v rustup >/dev/null 2>&1; then
    dist="${RUSTUP_DIST_SERVER:-https://static.rust-lang.org}"
    if curl -fsS --max-time 10 -o /dev/null "$dist/dist/channel-rust-stable.toml.sha256"; then
      log "rustup target add wasm32-unknown-unknown"
      if rustup target add wasm32-unknown-unknown && wasm_sysroot_ok; then route=A; fi
    else
      log "rustup dist server not reachable: using Debian's Rust with build-std"
    fi
  fi
  if [ -z "$route" ]; then
    apt_install rustc-web cargo-web rust-web-src lld-22
    route=B
  fi
  echo "$route" >"$route_file"
fi
log "wasm route $route"

# 3. wasm-bindgen-cli and trunk, pinned (compiled from crates.io; skipped when present).
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: the registry mirror lacks one locked dependency version (TOOLCHAIN.md).
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  log "cargo install trunk $TRUNK_VERSION"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# 4. npm test dependencies (playwright-core, binaryen's wasm-opt) from the committed lockfile.
export NODE_EXTRA_CA_CERTS="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat "$state/npm-lock" 2>/dev/null || true)" != "$lock_sum" ] || [ ! -x node_modules/.bin/wasm-opt ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" >"$state/npm-lock"
fi

# 5. Crates fetched once so that offline trunk builds work.
cargo_sum="$(sha256sum Cargo.lock | cut -d' ' -f1)"
if [ "$(cat "$state/cargo-fetch" 2>/dev/null || true)" != "$cargo_sum" ]; then
  log "cargo fetch"
  cargo fetch
  echo "$cargo_sum" >"$state/cargo-fetch"
fi
log "ready"
