#!/usr/bin/env bash
# README command 1: set up, build the release site and serve it on http://127.0.0.1:${PORT:-8080}/
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh
exec node tests/e2e/server.mjs dist "${PORT:-8080}"
