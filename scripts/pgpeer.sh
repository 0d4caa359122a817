#!/usr/bin/env bash
# The PostgreSQL peer of the tests: a throw-away cluster (Debian's `postgresql`, initdb) inside DIR,
# listening on 127.0.0.1 on a free port with trust authentication, nothing under /etc or /var.
#
#   pgpeer.sh start DIR   initdb DIR/data, start the server, create the database, write DIR/env
#   pgpeer.sh stop DIR    stop the server started in DIR (by the pid in its postmaster.pid, never by name)
#
# DIR/env holds SOHOA_PG_URL (postgresql://sohoa@127.0.0.1:PORT/sohoa) and SOHOA_PG_PEER_DIR.
# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user (made by the
# Debian package) and DIR is handed to it. fsync is off: test data is thrown away anyway.
set -euo pipefail

cmd="${1:-}"; dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2; exit 2
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
data="$dir/data"
TIMEOUT="${SOHOA_PG_PEER_TIMEOUT:-60}"

log() { echo "pgpeer: $*" >&2; }

pg_bin() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$found" ]; then
    log "PostgreSQL server binaries not found (apt-get install postgresql: scripts/install-system.sh --test)"
    return 1
  fi
  echo "$found"
}

# Runs "$@" as the cluster's owner: ourselves, or `postgres` when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin port
  bin="$(pg_bin)"
  if [ -f "$data/postmaster.pid" ]; then log "a server already runs in $dir"; return 1; fi
  rm -rf "$data"; mkdir -p "$data" "$dir/run"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir" "$data" "$dir/run"
  chmod 700 "$data"
  as_owner "$bin/initdb" -D "$data" -U sohoa --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { log "initdb failed (see $dir/initdb.log)"; return 1; }
  port="$(free_port)"
  as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t "$TIMEOUT" start -o \
    "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/run -c fsync=off -c max_connections=200" \
    >/dev/null || { log "server failed to start (see $dir/server.log)"; return 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U sohoa sohoa
  cat > "$dir/env" <<EOF
SOHOA_PG_URL=postgresql://sohoa@127.0.0.1:$port/sohoa
SOHOA_PG_PEER_DIR=$dir
EOF
  log "PostgreSQL on 127.0.0.1:$port (data in $data)"
}

stop() {
  local pid deadline
  [ -f "$data/postmaster.pid" ] || { log "nothing runs in $dir"; return 0; }
  pid="$(head -1 "$data/postmaster.pid")"
  kill -INT "$pid" 2>/dev/null || true  # SIGINT: fast shutdown (clients are disconnected)
  deadline=$((SECONDS + TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.2
  done
  rm -f "$dir/env"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
