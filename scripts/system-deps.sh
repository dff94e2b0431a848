#!/usr/bin/env bash
# Installs what the test suite needs beyond Node packages, from Debian's packages: Chromium for
# the storefront tests, promtool and nginx (below). Skips what is already there.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  echo "system-deps: installing chromium from Debian's packages" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
fi
# promtool (Debian's prometheus package) checks the monitoring config and alert rules. The
# package would start a Prometheus server and a node exporter; a policy-rc.d keeps them stopped.
if ! command -v promtool >/dev/null 2>&1; then
  echo "system-deps: installing promtool (Debian's prometheus package)" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  policy=/usr/sbin/policy-rc.d
  added_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    added_policy=1
  fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >&2
  if [ -n "$added_policy" ]; then $sudo rm -f "$policy"; fi
  # Under systemd, keep the server from starting at the next boot too.
  if [ -d /run/systemd/system ]; then $sudo systemctl disable --now prometheus >/dev/null 2>&1 || true; fi
fi
# nginx (Debian's nginx-light) serves the storefront's rendered nginx.conf in its test
# (deploy/web/nginx.int.test.ts). The package would start a server on port 80; a policy-rc.d
# keeps it stopped.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "system-deps: installing nginx (Debian's nginx-light package)" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  policy=/usr/sbin/policy-rc.d
  added_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    added_policy=1
  fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx-light >&2
  if [ -n "$added_policy" ]; then $sudo rm -f "$policy"; fi
  if [ -d /run/systemd/system ]; then $sudo systemctl disable --now nginx >/dev/null 2>&1 || true; fi
fi
