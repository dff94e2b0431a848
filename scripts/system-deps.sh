#!/usr/bin/env bash
# Installs what the test suite needs beyond Node packages: Debian's Chromium for the
# storefront tests. Skips what is already there.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  echo "system-deps: installing chromium from Debian's packages" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
fi
