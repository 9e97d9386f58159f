#!/usr/bin/env bash
# The browser tests drive Debian's chromium (never a browser downloaded by Playwright):
# install it when it is missing.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -x $chromium ]]; then
  exit 0
fi
echo "chromium.sh: $chromium is missing; installing Debian's chromium package" >&2
bash "$(dirname "$0")/apt_install.sh" chromium fonts-liberation
test -x "$chromium" || { echo "chromium.sh: still no $chromium after installing chromium" >&2; exit 1; }
