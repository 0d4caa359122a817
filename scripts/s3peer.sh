#!/usr/bin/env bash
# The S3 peer of the tests: a one-node Ceph cluster (one monitor, one memstore OSD) with a RADOS
# Gateway on 127.0.0.1, everything (conf, keyring, data, pids, logs) inside DIR so nothing touches
# /etc or /var and several peers can run side by side (ports are picked free at start).
#
#   s3peer.sh start DIR      start the cluster and the gateway, create the S3 user, write DIR/env
#   s3peer.sh stop DIR       stop every daemon started in DIR (by its pid file, never by name)
#   s3peer.sh rgw-stop DIR   stop only the gateway (the data survives: fault tests)
#   s3peer.sh rgw-start DIR  start the gateway again on the same port
#
# DIR/env holds SOHOA_S3_ENDPOINT, SOHOA_S3_ACCESS_KEY, SOHOA_S3_SECRET_KEY, SOHOA_S3_REGION and
# SOHOA_S3_PEER_DIR. memstore keeps objects in RAM: data is gone when the OSD stops, which is what
# throw-away test data wants. Start to a working endpoint: about 5 s (paxos propose interval cut
# from 1 s, since every pool the gateway creates is a new OSD map). Facts behind the settings:
# ../shared/DESIGN.md (cephx must stay on, single-node pool sizes, the OSD under a host bucket
# under root=default).
set -euo pipefail

ACCESS_KEY="sohoatestaccesskey01"
SECRET_KEY="sohoatestsecretkey0123456789abcdefghijk"
TIMEOUT="${SOHOA_S3_PEER_TIMEOUT:-90}"

cmd="${1:-}"; dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop|rgw-stop|rgw-start DIR" >&2; exit 2
fi
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
conf="$dir/ceph.conf"

log() { echo "s3peer: $*" >&2; }
ceph_() { timeout 30 ceph -c "$conf" -n client.admin "$@"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Wait until "$@" succeeds, at most $TIMEOUT seconds.
wait_for() {
  local what="$1"; shift
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then log "timed out waiting for $what"; return 1; fi
    sleep 0.3
  done
}

write_conf() {
  local mon_port="$1" rgw_port="$2"
  cat > "$conf" <<EOF
[global]
fsid = $(cat /proc/sys/kernel/random/uuid)
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = $dir/keyring
run dir = $dir/run
pid file = $dir/run/\$name.pid
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
log to stderr = false
err to stderr = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
# The OSD places itself under a host bucket under root=default when it boots (saves three
# slow 'ceph osd crush' calls); memstore reports a tiny size, so the weight is set.
osd crush update on start = true
crush location = root=default host=peer
osd crush initial weight = 1
mon data = $dir/mon/\$cluster-\$id
osd data = $dir/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = 2147483648
osd memory target = 536870912
mon osd min in ratio = 0
# One node, no quorum to wait for: propose map changes at once (each pool RGW creates is a
# new OSD map; at the default 1 s interval the gateway alone took 9 s to start).
paxos propose interval = 0.05
paxos min wait = 0.01
[client.rgw.peer]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $dir/rgw
rgw thread pool size = 64
rgw enable usage log = false
EOF
  echo "$rgw_port" > "$dir/rgw.port"
}

make_keyring() {
  local k="$dir/keyring"
  ceph-authtool --create-keyring "$k" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$k" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' \
    --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool "$k" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap mgr 'allow profile osd' \
    --cap osd 'allow *' >/dev/null
  ceph-authtool "$k" --gen-key -n client.rgw.peer --cap mon 'allow rw' --cap osd 'allow rwx' >/dev/null
}

start_mon() {
  local mon_port="$1"
  monmaptool --create --fsid "$(awk '/^fsid/ {print $3}' "$conf")" \
    --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
  mkdir -p "$dir/mon/ceph-a"
  ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring"
  ceph-mon -c "$conf" -i a
  wait_for "the monitor" ceph_ mon stat
}

start_osd() {
  local uuid; uuid="$(cat /proc/sys/kernel/random/uuid)"
  ceph_ osd new "$uuid" >/dev/null
  mkdir -p "$dir/osd/ceph-0"
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$uuid" >/dev/null 2>&1
  ceph-osd -c "$conf" -i 0
  wait_for "the OSD" bash -c "ceph -c '$conf' -n client.admin osd dump 2>/dev/null | grep -q '^osd.0 up'"
}

# The gateway opens its port only once it is fully initialised: a TCP connect is enough.
rgw_up() { (exec 3<>"/dev/tcp/127.0.0.1/$(cat "$dir/rgw.port")") 2>/dev/null; }

start_rgw() {
  mkdir -p "$dir/rgw"
  radosgw -c "$conf" -n client.rgw.peer
  wait_for "the gateway" rgw_up
}

make_user() {
  # The user may exist already (restarted gateway); "user info" first keeps this idempotent.
  radosgw-admin -c "$conf" -n client.admin user info --uid=sohoa >/dev/null 2>&1 && return 0
  radosgw-admin -c "$conf" -n client.admin user create --uid=sohoa --display-name="sohoa tests" \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
}

write_env() {
  cat > "$dir/env" <<EOF
SOHOA_S3_ENDPOINT=127.0.0.1:$(cat "$dir/rgw.port")
SOHOA_S3_ACCESS_KEY=$ACCESS_KEY
SOHOA_S3_SECRET_KEY=$SECRET_KEY
SOHOA_S3_REGION=us-east-1
SOHOA_S3_SECURE=false
SOHOA_S3_PEER_DIR=$dir
EOF
}

# Stop the daemon whose pid file is run/NAME.pid: TERM, then KILL after 10 s.
stop_daemon() {
  local pidfile="$dir/run/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

start() {
  local t0=$SECONDS
  for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph-authtool monmaptool python3; do
    command -v "$tool" >/dev/null || { log "missing $tool (scripts/install-system.sh --test)"; return 1; }
  done
  mkdir -p "$dir/run" "$dir/log"
  rm -f "$dir/env"
  write_conf "$(free_port)" "$(free_port)"
  make_keyring
  start_mon "$(awk -F: '/^mon host/ {print $NF}' "$conf")"
  start_osd
  start_rgw
  make_user
  write_env
  log "S3 peer ready at $(cat "$dir/rgw.port") in $((SECONDS - t0)) s (logs in $dir/log)"
}

case "$cmd" in
  start)
    if ! start; then
      log "start failed; last log lines:"; tail -n 20 "$dir"/log/*.log >&2 2>/dev/null || true
      bash "$0" stop "$dir" || true
      exit 1
    fi ;;
  stop)
    for name in client.rgw.peer osd.0 mon.a; do stop_daemon "$name"; done
    rm -rf "$dir/mon" "$dir/osd" ;;
  rgw-stop) stop_daemon client.rgw.peer ;;
  rgw-start) start_rgw ;;
  *) echo "usage: $0 start|stop|rgw-stop|rgw-start DIR" >&2; exit 2 ;;
esac
