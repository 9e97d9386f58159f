#!/usr/bin/env bash
# PDFs and Word reports use Liberation Sans, Arial's metric-compatible twin (Arial itself
# is not ours to ship). Install Debian's fonts-liberation2 when fontconfig cannot find it.
# Without root the reports still render with a fallback font; the PDF test insists on it.
set -euo pipefail

# grep reads all of fc-list (no -q): under pipefail, an early exit would fail the pipe.
if fc-list 2>/dev/null | grep "Liberation Sans" >/dev/null; then
  exit 0
fi
echo "fonts.sh: Liberation Sans is missing; installing Debian's fonts-liberation2" >&2
if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
  echo "fonts.sh: cannot install without root; PDFs will use a fallback font" >&2
  exit 0
fi
bash "$(dirname "$0")/apt_install.sh" fonts-liberation2 fontconfig
fc-cache -f >/dev/null 2>&1 || true
