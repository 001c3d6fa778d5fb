#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, then runs lint, the
# format check, mypy on landmarks/, the benchmark's smoke run and the whole suite: unit
# and AppTest page tests, and the real-browser tests in Debian's Chromium (screenshots in
# test-output/e2e/).  Extra arguments go to pytest (and skip the smoke run, as a partial
# run does).
# Works unattended as root (CI=true, no stdin); with CI=true a missing Chromium fails
# the browser tests, and a missing PostgreSQL the PostgreSQL ones, instead of skipping
# them.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
# The throw-away PostgreSQL cluster of this run (below) has its own record, so that a
# cluster started by hand with scripts/pg.sh is neither reused nor stopped here.
export LANDMARKS_PG_STATE=var/pg-test-cluster
pg_started=
finish() {
  local status=$?
  # Stopped on every exit: a pass, a failure, a timeout or an interrupt.
  if [ -n "$pg_started" ]; then bash scripts/pg.sh stop || true; fi
  echo "scripts/test.sh: exit $status after $((SECONDS - started)) s"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's Chromium and a CJK font for the real-browser tests (never a downloaded browser).
if ! dpkg -s chromium fonts-wqy-microhei >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei \
    </dev/null
fi
/usr/bin/chromium --version 2>/dev/null  # its launcher script prints a harmless shell warning

# Debian's PostgreSQL and PostGIS for the tests that run on both storage backends: a
# throw-away cluster, started below as an unprivileged user (scripts/pg.sh).  nginx for
# the replicas' tests (tests/cluster/: scripts/cluster.sh runs it as a plain process).
if ! dpkg -s postgresql postgresql-15-postgis-3 nginx-light >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql \
    postgresql-15-postgis-3 nginx-light </dev/null
fi

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

# A hung browser or server must fail the run, not stall it.  The ceilings are more than
# twice what a normal run takes on a 2-core machine (the benchmark's smoke runs about 2
# minutes, pytest about 14 with both database backends), so a slow run still passes and
# a hung one ends well inside CI's time.  SIGINT lets the benchmark and pytest stop their servers.
status=0
# The benchmark's every code path on a small national sample, so a change that breaks
# the benchmark fails here instead of in a benchmark run nobody makes.  Skipped when
# arguments ask for part of the suite.
# A throw-away PostgreSQL + PostGIS cluster for the tests of the PostgreSQL backend
# (tests/pg.py: each test copies a fresh database from its template) and the store's
# benchmark; stopped and removed at exit (finish).
pg_started=1
LANDMARKS_TEST_PG_URL=$(bash scripts/pg.sh start)
export LANDMARKS_TEST_PG_URL

if [ "$#" = 0 ]; then
  timeout --signal=INT --kill-after=30 300 python3 -m bench --smoke || status=$?
  if [ "$status" != 0 ]; then
    echo "scripts/test.sh: python -m bench --smoke failed (exit $status)" >&2
  fi
  # The store's write, rollback and rerun costs on both backends, on 2,000 products.
  store_status=0
  timeout --signal=INT --kill-after=30 300 python3 -m bench.store --smoke \
    --pg-url "$LANDMARKS_TEST_PG_URL" || store_status=$?
  if [ "$store_status" != 0 ]; then
    echo "scripts/test.sh: python -m bench.store --smoke failed (exit $store_status)" >&2
    [ "$status" != 0 ] || status=$store_status
  fi
  # Issue 22's load-and-fault script, every scenario in small (3 sessions, 50 rows, 50
  # requests; about 2 minutes): its own cluster.sh cluster, a replica killed, PostgreSQL
  # restarted, SQLite on a full and a read-only mount: no error, no row lost, no traceback
  # (its few timings are shown, not judged).
  load_status=0
  timeout --signal=INT --kill-after=30 600 python3 -m bench.load --smoke || load_status=$?
  if [ "$load_status" != 0 ]; then
    echo "scripts/test.sh: python -m bench.load --smoke failed (exit $load_status)" >&2
    [ "$status" != 0 ] || status=$load_status
  fi
fi

# Old screenshots would pass for this run's.
rm -rf test-output/e2e
# Every core busy: pytest-xdist workers, each with its own app servers and browser, one
# more than the cores, since a browser test waits on its server and browser at times (on
# 2 cores 3 workers were fastest); the browser tests that share a view of the app run in
# one worker (--dist loadgroup, tests/e2e/conftest.py).  pyproject.toml has pytest print
# the 15 slowest tests.
pytest_status=0
workers=$(( $(nproc) + 1 ))
timeout --signal=INT --kill-after=60 1800 python3 -m pytest -n "$workers" --dist loadgroup "$@" || pytest_status=$?
# Exit 5 means pytest collected no test: a broken layout or a filter that matches
# nothing, never a pass.
if [ "$pytest_status" = 5 ]; then echo "scripts/test.sh: pytest collected no tests" >&2; fi
[ "$status" != 0 ] || status=$pytest_status
exit "$status"
