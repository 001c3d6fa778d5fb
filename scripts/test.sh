#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, then runs lint and tests.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's Chromium and a CJK font for the real-browser tests (never a downloaded browser).
if ! dpkg -s chromium fonts-wqy-microhei >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei
fi

python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt
python3 -m ruff check .
python3 -m pytest "$@"
