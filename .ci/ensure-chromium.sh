#!/usr/bin/env bash
# Playwright cannot download its own browser here; Debian's Chromium is used instead (installed if missing).
# Another apt process holding its lock (unattended upgrades on a fresh machine) is waited for.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "Installing Debian's Chromium for the end-to-end tests…"
. "$(dirname "$0")/apt-wait.sh"
apt_get update -qq
apt_get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
