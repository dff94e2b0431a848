# Sourced by the scripts that install pinned packages from the npm registry into $LAPAK_CACHE,
# outside the pnpm workspace (scripts/install-cms.sh, bench/peers/install-peers.sh). The caller
# defines `say` (one line of progress on stderr) first.

npm_quiet=(--no-audit --no-fund --loglevel=error --no-update-notifier)

# Holds the lock file `file` until the script ends: one installer at a time per cache (parallel
# test runs, `pnpm start` in another terminal).
lock_cache() { # file
  exec 9>"$1"
  if ! flock -n 9; then
    say "another install runs in $(dirname "$1"); waiting for it"
    flock 9
  fi
}

# `npm install` of the package.json in the current folder, logging to install.log.
npm_install_logged() {
  npm install "${npm_quiet[@]}" >install.log 2>&1
}

# Installs into `dir` from scratch: `manifest` as its package.json, then `steps` run inside it
# (logging to install.log), then `marker` written to .lapak-installed, which the caller compares
# to know a finished install (an interrupted one has none). A failure prints the log's tail and
# stops the script.
install_afresh() { # dir label marker manifest steps
  local start
  start=$(date +%s)
  rm -rf "$1"
  mkdir -p "$1"
  printf '%s\n' "$4" >"$1/package.json"
  (cd "$1" && "$5") || {
    say "$2 install failed; see $1/install.log"
    tail -n 20 "$1/install.log" >&2
    exit 1
  }
  printf '%s\n' "$3" >"$1/.lapak-installed"
  say "$2 installed in $(($(date +%s) - start))s"
}
