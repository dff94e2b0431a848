#!/usr/bin/env bash
# Installs what the test suite needs beyond Node packages, from Debian's packages: Chromium for
# the storefront tests, promtool and nginx (below). Skips what is already there.
set -euo pipefail
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi

# apt-get install with the options given, after refreshing the package lists.
apt_install() { # [option…] package…
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

# Installs `package`, whose service `service` would start at once: a policy-rc.d keeps every
# service stopped while it installs (removed after, unless it was there before), and under
# systemd the service is disabled so that it does not start at the next boot either.
apt_install_stopped() { # service package
  local policy=/usr/sbin/policy-rc.d added_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    added_policy=1
  fi
  apt_install --no-install-recommends "$2"
  if [ -n "$added_policy" ]; then $sudo rm -f "$policy"; fi
  if [ -d /run/systemd/system ]; then $sudo systemctl disable --now "$1" >/dev/null 2>&1 || true; fi
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "system-deps: installing chromium from Debian's packages" >&2
  apt_install chromium
fi
# promtool (Debian's prometheus package) checks the monitoring config and alert rules; the
# package would start a Prometheus server and a node exporter.
if ! command -v promtool >/dev/null 2>&1; then
  echo "system-deps: installing promtool (Debian's prometheus package)" >&2
  apt_install_stopped prometheus prometheus
fi
# nginx (Debian's nginx-light) serves the storefront's rendered nginx.conf in its test
# (deploy/web/nginx.int.test.ts); the package would start a server on port 80.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "system-deps: installing nginx (Debian's nginx-light package)" >&2
  apt_install_stopped nginx nginx-light
fi
