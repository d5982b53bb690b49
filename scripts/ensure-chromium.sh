#!/usr/bin/env bash
# The dashboard test drives Debian's Chromium through playwright-core; npm's browser downloads cannot work offline.
# Installs it when missing (as root, from Debian's packages), otherwise says how.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the dashboard test…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is missing: install Debian's package (sudo apt-get install chromium); the dashboard test needs it" >&2
fi
