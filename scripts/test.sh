#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, then runs lint, the
# format check, mypy on landmarks/ and the whole suite: unit and AppTest page tests, and
# the real-browser tests in Debian's Chromium (screenshots in test-output/e2e/).  Extra
# arguments go to pytest.
# Works unattended as root (CI=true, no stdin); with CI=true a missing Chromium fails
# the browser tests instead of skipping them.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
trap 'echo "scripts/test.sh: exit $? after $((SECONDS - started)) s"' EXIT

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's Chromium and a CJK font for the real-browser tests (never a downloaded browser).
if ! dpkg -s chromium fonts-wqy-microhei >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei \
    </dev/null
fi
/usr/bin/chromium --version 2>/dev/null  # its launcher script prints a harmless shell warning

# axe-core for the accessibility audit (tests/e2e/test_accessibility.py): pinned, from the
# npm registry, into var/node/ (git-ignored); the tests read its axe.min.js there.
# Debian's npm only if the machine has no npm yet.
AXE_CORE_VERSION=4.11.0
if ! command -v npm >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm </dev/null
fi
axe_installed=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' \
  var/node/node_modules/axe-core/package.json 2>/dev/null || true)
if [ "$axe_installed" != "$AXE_CORE_VERSION" ]; then
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix var/node \
    "axe-core@$AXE_CORE_VERSION" </dev/null
fi

python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
  -r requirements-dev.txt </dev/null
python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy landmarks/  # strict, as configured in pyproject.toml

# Old screenshots would pass for this run's.
rm -rf test-output/e2e
# A hung browser or server must fail the run, not stall it: the suite takes a few
# minutes, so ten is a generous ceiling (SIGINT lets pytest stop its servers).
status=0
timeout --signal=INT --kill-after=60 600 python3 -m pytest "$@" || status=$?
# Exit 5 means pytest collected no test: a broken layout or a filter that matches
# nothing, never a pass.
if [ "$status" = 5 ]; then echo "scripts/test.sh: pytest collected no tests" >&2; fi
exit "$status"
