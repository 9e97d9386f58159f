#!/usr/bin/env bash
# Install Debian packages non-interactively (CI has no stdin), as root or through sudo:
#
#   scripts/apt_install.sh postgresql
#
# Services the packages would start (Debian's postgresql starts a "main" cluster) are
# not started: the tests start their own throwaway servers and leave nothing running.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 PACKAGE [PACKAGE...]" >&2
  exit 2
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "apt_install.sh: installing $* needs root; run: apt-get install -y $*" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d
made_policy=""
if [[ ! -e $policy ]]; then
  # invoke-rc.d asks this script whether to start a service; 101 means "no".
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod +x "$policy"
  made_policy=yes
fi
cleanup() {
  if [[ -n $made_policy ]]; then "${sudo[@]}" rm -f "$policy"; fi
}
trap cleanup EXIT

"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@"
