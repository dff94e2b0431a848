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
cache="$LAPAK_CACHE/peers"
mkdir -p "$cache"

say() { echo "install-peers: $*" >&2; }
npm_quiet=(--no-audit --no-fund --loglevel=error --no-update-notifier)

exec 9>"$cache/install.lock"
if ! flock -n 9; then
  say "another install runs in $cache; waiting for it"
  flock 9
fi

# Installs `manifest` (a package.json) into `dir` unless the same manifest was installed there
# before (the marker holds a copy of it).
install_manifest() { # dir manifest
  if [ -f "$1/.lapak-installed" ] && [ "$(cat "$1/.lapak-installed")" = "$2" ]; then
    say "$(basename "$1") already installed ($1)"
    return
  fi
  local start
  start=$(date +%s)
  say "installing $(basename "$1") into $1 (a few minutes)"
  rm -rf "$1"
  mkdir -p "$1"
  printf '%s\n' "$2" >"$1/package.json"
  (cd "$1" && npm install "${npm_quiet[@]}" >install.log 2>&1) || {
    say "$(basename "$1") install failed; see $1/install.log"
    tail -n 20 "$1/install.log" >&2
    exit 1
  }
  printf '%s' "$2" >"$1/.lapak-installed"
  say "$(basename "$1") installed in $(($(date +%s) - start))s"
}

install_manifest "$cache/vendure" "{\"name\":\"lapak-peer-vendure\",\"private\":true,\"dependencies\":{\"@vendure/core\":\"$VENDURE_VERSION\",\"pg\":\"$PG_VERSION\"}}"
install_manifest "$cache/medusa" "{\"name\":\"lapak-peer-medusa\",\"private\":true,\"dependencies\":{\"@medusajs/medusa\":\"$MEDUSA_VERSION\",\"@medusajs/framework\":\"$MEDUSA_VERSION\",\"@medusajs/cli\":\"$MEDUSA_VERSION\",\"@swc/core\":\"$SWC_VERSION\",\"pg\":\"$PG_VERSION\"}}"

echo "LAPAK_VENDURE_HOME=$cache/vendure"
echo "LAPAK_MEDUSA_HOME=$cache/medusa"
