#!/usr/bin/env bash
# The app as several processes behind a load balancer, on this machine's loopback:
#   bash scripts/cluster.sh up [N]   a throw-away PostgreSQL (scripts/pg.sh), N replicas
#                                    of the app (default 3) and nginx in front of them;
#                                    waits until every part answers, prints the
#                                    balancer's URL as its last line and returns
#   bash scripts/cluster.sh status   one line per part with its address and pid, and
#                                    LANDMARKS_DB=<url> for command-line imports
#   bash scripts/cluster.sh down     stops everything it started and removes its state
# Everything lives in the state dir $LANDMARKS_CLUSTER_STATE (default var/cluster): the
# rendered nginx.conf (from deploy/nginx.conf.template), pids, ports and logs/, and the
# record of its own PostgreSQL cluster (pg-cluster, see scripts/pg.sh), so several
# clusters (tests, the load script) can run side by side.  The database is thrown away
# by `down`: never put data there that you want to keep.
# The replicas run in $LANDMARKS_CLUSTER_APP_DIR (default: this repository), whose
# .streamlit/ holds their config and secrets (editor accounts); the app is this
# repository's app.py.  The public page is published into static/p/ (or
# $LANDMARKS_PUBLIC_DIR), which nginx serves at /p/.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

state=$(realpath -m "${LANDMARKS_CLUSTER_STATE:-var/cluster}")
app_dir=$(realpath -m "${LANDMARKS_CLUSTER_APP_DIR:-$repo}")
public_dir=$(realpath -m "${LANDMARKS_PUBLIC_DIR:-$repo/static/p}")
export LANDMARKS_PG_STATE="$state/pg-cluster"
START_TIMEOUT=${LANDMARKS_CLUSTER_TIMEOUT:-120}  # seconds for each part to answer
STOP_TIMEOUT=20

say() { printf 'cluster.sh: %s\n' "$*" >&2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Whether process $1 runs: a zombie (ended, not yet reaped by init) does not.
alive() {
  local stat
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# Waits until http://127.0.0.1:$1$2 answers 200, while process $3 lives (polled by one
# Python process: no curl needed, and no proxy from the environment in the way).
wait_http() {
  python3 - "$1" "$2" "$3" "$START_TIMEOUT" <<'EOF'
import sys
import time
import urllib.request

port, path, pid, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def alive() -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


deadline = time.monotonic() + timeout
while time.monotonic() < deadline and alive():
    try:
        with opener.open(f"http://127.0.0.1:{port}{path}", timeout=2) as answer:
            if answer.status == 200:
                sys.exit(0)
    except OSError:  # not listening yet, or not answering 200 yet
        pass
    time.sleep(0.2)
sys.exit(1)
EOF
}

# Ends process group $1 (each part was started as its own group's leader): TERM, then
# KILL after STOP_TIMEOUT seconds.
stop_group() {
  local pid=$1 deadline=$((SECONDS + STOP_TIMEOUT))
  alive "$pid" || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  if alive "$pid"; then
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.1; done
  fi
}

nginx_pid() { cat "$state/nginx.pid" 2>/dev/null || true; }

pg_pid() {
  local dir
  dir=$(cat "$LANDMARKS_PG_STATE" 2>/dev/null) || return 0
  head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true
}

pg_socket() {
  local dir
  dir=$(cat "$LANDMARKS_PG_STATE" 2>/dev/null) || return 0
  printf '%s\n' "$dir/socket"
}

# Stops whatever the state dir records and removes it.
stop_all() {
  local pid name port
  if [ -f "$state/replicas" ]; then
    while read -r name port pid; do
      stop_group "$pid"
    done <"$state/replicas"
  fi
  pid=$(nginx_pid)
  if alive "$pid"; then
    # TERM: nginx's fast shutdown (open websockets are closed, not waited for).
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    if alive "$pid"; then
      pkill -KILL -P "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  bash scripts/pg.sh stop
  case $state in
    / | "$repo" | "$HOME") ;;  # never, whatever the variable says
    *) rm -rf "$state" ;;
  esac
}

# Prints each part's line; returns 1 when a part is not running.
status_lines() {
  local ok=0 name port pid
  pid=$(nginx_pid)
  port=$(cat "$state/balancer-port" 2>/dev/null || true)
  if alive "$pid"; then
    printf 'balancer http://127.0.0.1:%s pid %s\n' "$port" "$pid"
  else
    printf 'balancer http://127.0.0.1:%s not running\n' "$port"
    ok=1
  fi
  if [ -f "$state/replicas" ]; then
    while read -r name port pid; do
      if alive "$pid"; then
        printf '%s http://127.0.0.1:%s pid %s\n' "$name" "$port" "$pid"
      else
        printf '%s http://127.0.0.1:%s not running\n' "$name" "$port"
        ok=1
      fi
    done <"$state/replicas"
  fi
  pid=$(pg_pid)
  if alive "$pid"; then
    printf 'postgresql %s pid %s\n' "$(pg_socket)" "$pid"
  else
    printf 'postgresql %s not running\n' "$(pg_socket)"
    ok=1
  fi
  printf 'public %s served at http://127.0.0.1:%s/p/\n' "$public_dir" \
    "$(cat "$state/balancer-port" 2>/dev/null || true)"
  printf 'LANDMARKS_DB=%s\n' "$(cat "$state/db-url" 2>/dev/null || true)"
  return "$ok"
}

# Says which part failed, with the tail of its log, stops everything, exits 1.
fail() {
  local part=$1 log=${2:-}
  trap - ERR INT TERM
  say "$part failed to start"
  if [ -n "$log" ] && [ -f "$log" ]; then
    say "the end of $log:"
    tail -n 25 "$log" >&2
  fi
  stop_all
  say "stopped everything it had started"
  exit 1
}

# The Streamlit upload limit (MB) of the replicas' config, plus 1 MB for the form around
# the file: nginx lets through what Streamlit would accept.
max_body() {
  python3 - "$app_dir/.streamlit/config.toml" <<'EOF'
import sys
import tomllib

try:
    with open(sys.argv[1], "rb") as file:
        limit = tomllib.load(file).get("server", {}).get("maxUploadSize", 200)
except FileNotFoundError:
    limit = 200  # Streamlit's default
print(f"{int(limit) + 1}m")
EOF
}

up() {
  local count=${1:-3}
  case $count in '' | *[!0-9]* | 0) say "up: N must be a positive number"; exit 2 ;; esac
  if [ -f "$state/url" ]; then
    if status_lines >/dev/null; then
      say "already up ($state)"
      cat "$state/url"
      return
    fi
    say "a cluster in $state is partly down:"
    status_lines >&2 || true
    say "run: bash scripts/cluster.sh down (then up again)"
    exit 1
  fi
  # What a killed run left behind.
  if [ -e "$state" ]; then stop_all; fi
  command -v nginx >/dev/null || { say "nginx is missing (apt-get install nginx-light)"; exit 1; }
  [ -f "$app_dir/.streamlit/config.toml" ] || say "note: $app_dir/.streamlit/config.toml is missing"
  mkdir -p "$state/logs" "$state/nginx-temp"
  trap 'fail "cluster.sh (line $LINENO)"' ERR
  trap 'fail "cluster.sh (interrupted)"' INT TERM

  local url
  url=$(bash scripts/pg.sh start 2>"$state/logs/postgresql.log") \
    || fail postgresql "$state/logs/postgresql.log"
  printf '%s\n' "$url" >"$state/db-url"

  : >"$state/replicas"
  local i port pid log
  for ((i = 1; i <= count; i++)); do
    port=$(free_port)
    log="$state/logs/replica$i.log"
    # Its own session (setsid): detached from this shell, and stopped as a group.
    (
      cd "$app_dir"
      exec env LANDMARKS_DB="$url" LANDMARKS_PUBLIC_PAGE_PATH=/p/ \
        LANDMARKS_PUBLIC_DIR="$public_dir" LANDMARKS_TRUSTED_PROXIES=127.0.0.1 \
        setsid python3 -m streamlit run "$repo/app.py" \
        --server.port "$port" --server.address 127.0.0.1 --server.headless true \
        --browser.gatherUsageStats false --server.fileWatcherType none \
        </dev/null >"$log" 2>&1
    ) &
    pid=$!
    printf 'replica%s %s %s\n' "$i" "$port" "$pid" >>"$state/replicas"
  done
  # Started together, waited for together: the first one seeds the database.
  while read -r name port pid; do
    wait_http "$port" /_stcore/health "$pid" || fail "$name" "$state/logs/$name.log"
  done <"$state/replicas"

  port=$(free_port)
  printf '%s\n' "$port" >"$state/balancer-port"
  local servers="" user_line=""
  while read -r name rport pid; do
    servers+="        server 127.0.0.1:$rport max_fails=1 fail_timeout=10s;  # $name"$'\n'
  done <"$state/replicas"
  # As root, nginx's workers run as the owner of the repository (who can read the public
  # folder); as anyone else, as that user (nginx ignores the directive).
  if [ "$(id -u)" = 0 ]; then
    user_line="user $(stat -c '%U %G' "$repo");"
  fi
  # The names envsubst replaces; nginx's own $variables stay as they are.
  # shellcheck disable=SC2016
  local names='${CLUSTER_STATE} ${CLUSTER_LISTEN} ${CLUSTER_PUBLIC_DIR} ${CLUSTER_UPSTREAM_SERVERS} ${CLUSTER_MAX_BODY} ${CLUSTER_USER_LINE}'
  CLUSTER_STATE="$state" CLUSTER_LISTEN="127.0.0.1:$port" CLUSTER_PUBLIC_DIR="$public_dir" \
    CLUSTER_UPSTREAM_SERVERS="${servers%$'\n'}" CLUSTER_MAX_BODY="$(max_body)" \
    CLUSTER_USER_LINE="$user_line" envsubst "$names" \
    <deploy/nginx.conf.template >"$state/nginx.conf"
  # nginx forks its master into the background itself and exits once it listens (or
  # exits non-zero on a bad config or a taken port).
  nginx -p "$state" -c "$state/nginx.conf" -e "$state/logs/nginx-error.log" \
    >"$state/logs/nginx-start.log" 2>&1 || fail nginx "$state/logs/nginx-start.log"
  pid=$(nginx_pid)
  wait_http "$port" /_stcore/health "$pid" || fail nginx "$state/logs/nginx-error.log"
  trap - ERR INT TERM
  printf 'http://127.0.0.1:%s\n' "$port" >"$state/url"
  status_lines >&2 || true
  cat "$state/url"
}

case ${1:-} in
  up) up "${2:-3}" ;;
  status)
    [ -f "$state/url" ] || { say "no cluster in $state"; exit 1; }
    status_lines
    ;;
  down)
    if [ -e "$state" ]; then stop_all; else say "no cluster in $state"; fi
    ;;
  *)
    echo "usage: bash scripts/cluster.sh up [N]|status|down" >&2
    exit 2
    ;;
esac
