#!/usr/bin/env bash
# Installs the pinned peers of the `peers` benchmark from the npm registry into
# $LAPAK_CACHE/peers (default ~/.cache/lapak/peers), never into the pnpm workspace, skipping
# what is already installed at the pinned versions:
#   vendure/   @vendure/core and the PostgreSQL driver (our config, seed and worker entry are
#              copied from bench/peers/vendure/ on every run)
#   medusa/    @medusajs/medusa, its framework and CLI (our medusa-config and seed script are
#              copied from bench/peers/medusa/ on every run)
# Prints, on stdout, the two folders as shell assignments:
#   LAPAK_VENDURE_HOME=…  LAPAK_MEDUSA_HOME=…
# Usage: bench/peers/install-peers.sh        (bench/peers/peers.bench.ts calls it)
set -euo pipefail

VENDURE_VERSION=3.7.3
MEDUSA_VERSION=2.21.2
PG_VERSION=8.16.3
SWC_VERSION=1.13.5

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../scripts/toolchain.sh
source "$here/../../scripts/toolchain.sh" >&2
# shellcheck source=../../scripts/npm-cache.sh
source "$here/../../scripts/npm-cache.sh"
cache="$LAPAK_CACHE/peers"
mkdir -p "$cache"

say() { echo "install-peers: $*" >&2; }
lock_cache "$cache/install.lock"

# Installs `manifest` (a package.json) into `dir` unless the same manifest was installed there
# before (the marker holds a copy of it).
install_manifest() { # dir manifest
  if [ -f "$1/.lapak-installed" ] && [ "$(cat "$1/.lapak-installed")" = "$2" ]; then
    say "$(basename "$1") already installed ($1)"
    return
  fi
  say "installing $(basename "$1") into $1 (a few minutes)"
  install_afresh "$1" "$(basename "$1")" "$2" "$2" npm_install_logged
}

install_manifest "$cache/vendure" "{\"name\":\"lapak-peer-vendure\",\"private\":true,\"dependencies\":{\"@vendure/core\":\"$VENDURE_VERSION\",\"pg\":\"$PG_VERSION\"}}"
install_manifest "$cache/medusa" "{\"name\":\"lapak-peer-medusa\",\"private\":true,\"dependencies\":{\"@medusajs/medusa\":\"$MEDUSA_VERSION\",\"@medusajs/framework\":\"$MEDUSA_VERSION\",\"@medusajs/cli\":\"$MEDUSA_VERSION\",\"@swc/core\":\"$SWC_VERSION\",\"pg\":\"$PG_VERSION\"}}"

echo "LAPAK_VENDURE_HOME=$cache/vendure"
echo "LAPAK_MEDUSA_HOME=$cache/medusa"
