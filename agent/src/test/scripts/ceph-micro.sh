#!/usr/bin/env bash
# A throw-away single-node Ceph cluster (1 mon, 1 memstore OSD, 1 mgr) on loopback, for tests.
# Runs as root without systemd; everything it creates lives under DIR, so several clusters can run
# side by side in different directories.
#
#   ceph-micro.sh start DIR     create and start a cluster, wait until it is HEALTH_OK
#   ceph-micro.sh stop DIR      stop its daemons and remove DIR (safe to repeat)
#   ceph-micro.sh kill-mon DIR  SIGKILL the monitor only (fault tests)
#   ceph-micro.sh status DIR    ceph -s
#
# Start takes about 6 s on an idle 2-core machine (cephx on, mgr active, PGs active+clean).
#
# `start` ends by printing CEPH_CONF=, CEPH_KEYRING= (client.admin) and CEPH_CLIENT_KEYRING=
# (client.debvisor, read-only: mon 'allow r').
set -euo pipefail

readonly READY_TIMEOUT_SECONDS=60
readonly STOP_TIMEOUT_SECONDS=15
readonly DAEMONS=(mgr.x osd.0 mon.a)

usage() {
  echo "usage: $0 {start|stop|kill-mon|status} DIR" >&2
  exit 2
}

die() {
  echo "ceph-micro: $*" >&2
  exit 1
}

require_tools() {
  local tool
  for tool in ceph-mon ceph-osd ceph-mgr ceph ceph-authtool monmaptool python3; do
    command -v "$tool" >/dev/null ||
      die "$tool is not installed; run scripts/test.sh, which installs ceph-mon ceph-osd ceph-mgr"
  done
  [ "$(id -u)" -eq 0 ] || die "must run as root (the daemons are started without systemd)"
}

# Two distinct free loopback ports: msgr v2 and v1 for the monitor.
free_ports() {
  python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
'
}

elapsed_since() {
  python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.1f}")' "$1" "$EPOCHREALTIME"
}

cli() {
  timeout 30 ceph -c "$DIR/ceph.conf" -k "$DIR/ceph.client.admin.keyring" --connect-timeout 10 "$@"
}

write_conf() {
  local fsid=$1 port_v2=$2 port_v1=$3
  cat >"$DIR/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$port_v2,v1:127.0.0.1:$port_v1]
mon initial members = a
public addr = 127.0.0.1
public network = 127.0.0.0/8
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail warn = 2
# commit map changes quickly: a test cluster has no load to batch
paxos propose interval = 0.1
mgr stats period = 1
run dir = $DIR/run
pid file = $DIR/run/\$cluster-\$name.pid
crash dir = $DIR/crash
mon data = $DIR/mon/\$cluster-\$id
osd data = $DIR/osd/\$cluster-\$id
mgr data = $DIR/mgr/\$cluster-\$id
mon cluster log file = $DIR/log/\$cluster.log

[mon]
keyring = $DIR/keyring
log file = $DIR/log/\$cluster-\$name.log

[osd]
keyring = $DIR/keyring
log file = $DIR/log/\$cluster-\$name.log
osd objectstore = memstore
memstore device bytes = 1073741824
osd fast shutdown = false

[mgr]
keyring = $DIR/keyring
log file = $DIR/log/\$cluster-\$name.log

[client]
keyring = $DIR/ceph.client.admin.keyring
EOF
}

write_keyrings() {
  local keyring=$DIR/keyring
  ceph-authtool --create-keyring "$keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$keyring" --gen-key -n osd.0 \
    --cap mon 'allow profile osd' --cap mgr 'allow profile osd' --cap osd 'allow *' >/dev/null
  ceph-authtool "$keyring" --gen-key -n mgr.x \
    --cap mon 'allow profile mgr' --cap osd 'allow *' --cap mds 'allow *' >/dev/null
  ceph-authtool "$keyring" --gen-key -n client.debvisor --cap mon 'allow r' >/dev/null
  ceph-authtool --create-keyring "$DIR/ceph.client.admin.keyring" \
    --import-keyring "$keyring" -n client.admin >/dev/null
  ceph-authtool --create-keyring "$DIR/ceph.client.debvisor.keyring" \
    --import-keyring "$keyring" -n client.debvisor >/dev/null
  # import copies every entity; keep only the named one in each client keyring
  strip_keyring "$DIR/ceph.client.admin.keyring" client.admin
  strip_keyring "$DIR/ceph.client.debvisor.keyring" client.debvisor
  chmod 600 "$DIR"/keyring "$DIR"/*.keyring
}

# Rewrites a keyring file so that it only holds ENTITY's section.
strip_keyring() {
  local file=$1 entity=$2
  awk -v want="[$entity]" '/^\[/ { keep = ($0 == want) } keep' "$file" >"$file.tmp"
  mv "$file.tmp" "$file"
  grep -q "^\[$entity\]" "$file" || die "keyring $file lost $entity"
}

pid_of() {
  local pidfile=$DIR/run/ceph-$1.pid
  [ -s "$pidfile" ] || return 1
  cat "$pidfile"
}

# True while PID is a live (non-zombie) process started with this cluster's conf.
is_ours_and_alive() {
  local pid=$1 state
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$DIR/ceph.conf" || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != "Z" ] && [ -n "$state" ]
}

# Sends SIGNAL to the daemon NAME (e.g. mon.a) and waits, bounded, for it to exit.
stop_daemon() {
  local name=$1 signal=$2 pid deadline
  pid=$(pid_of "$name") || return 0
  is_ours_and_alive "$pid" || return 0
  kill "-$signal" "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
  while is_ours_and_alive "$pid"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "ceph-micro: $name (pid $pid) ignored SIG$signal; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
      signal=KILL
      continue
    fi
    sleep 0.1
  done
}

# SIGKILL: the cluster's data is thrown away anyway, and a polite SIGTERM makes the OSD and mgr
# wait for a monitor that may be gone.
stop_all() {
  local name
  for name in "${DAEMONS[@]}"; do
    stop_daemon "$name" KILL
  done
}

# Daemons inherit no stdio from us so that callers reading our output see EOF when we exit.
start_daemon() {
  "$@" -c "$DIR/ceph.conf" </dev/null >>"$DIR/log/daemon-stdio.log" 2>&1
}

# Runs a start-up step; on failure records what failed, with the step's output, and exits.
step() {
  local what=$1 output
  shift
  output=$("$@" 2>&1) || {
    FAILURE="$what failed: $output"
    exit 1
  }
}

print_logs() {
  local log
  echo "ceph-micro: last lines of the daemon logs in $DIR/log:" >&2
  for log in "$DIR"/log/*.log; do
    [ -f "$log" ] || continue
    echo "==> $log <==" >&2
    tail -n 25 "$log" >&2
  done
}

# Prints a reason and returns 1 unless the cluster is HEALTH_OK, has an active mgr and all PGs are
# active+clean.
cluster_ready() {
  local status
  status=$(cli status -f json 2>/dev/null) || {
    echo "monitor not answering"
    return 1
  }
  python3 -c '
import json, sys
s = json.loads(sys.argv[1])
health = s.get("health", {}).get("status")
mgr = s.get("mgrmap", {}).get("available")
pgmap = s.get("pgmap", {})
total = pgmap.get("num_pgs", 0)
clean = sum(x["count"] for x in pgmap.get("pgs_by_state", []) if x["state_name"] == "active+clean")
if health == "HEALTH_OK" and mgr and total > 0 and clean == total:
    sys.exit(0)
print(f"health={health} mgr_available={mgr} pgs active+clean={clean}/{total}")
sys.exit(1)
' "$status"
}

start() {
  require_tools
  [ ! -e "$DIR/ceph.conf" ] || die "$DIR already holds a cluster; stop it first"
  local begin=$EPOCHREALTIME fsid ports osd_uuid deadline reason=""
  mkdir -p "$DIR"/{run,log,crash,mon/ceph-a,osd/ceph-0,mgr/ceph-x}
  DIR=$(cd "$DIR" && pwd)

  STARTED=0
  FAILURE=""
  # shellcheck disable=SC2317  # invoked by the trap
  on_exit() {
    if [ "$STARTED" -ne 1 ]; then
      echo "ceph-micro: start failed${FAILURE:+ ($FAILURE)}" >&2
      print_logs
      stop_all
    fi
  }
  trap on_exit EXIT

  fsid=$(cat /proc/sys/kernel/random/uuid)
  read -r -a ports <<<"$(free_ports)"
  write_conf "$fsid" "${ports[0]}" "${ports[1]}"
  write_keyrings

  step "monmaptool" monmaptool --create --fsid "$fsid" --set-min-mon-release pacific \
    --enable-all-features --addv a "[v2:127.0.0.1:${ports[0]},v1:127.0.0.1:${ports[1]}]" \
    "$DIR/monmap"
  step "ceph-mon --mkfs" ceph-mon -c "$DIR/ceph.conf" --mkfs -i a --monmap "$DIR/monmap" \
    --keyring "$DIR/keyring"
  step "starting ceph-mon" start_daemon ceph-mon -i a
  # no device_health_metrics pool: the cluster holds only `demo` and comes up faster
  step "disabling devicehealth" \
    cli config set mgr mgr/devicehealth/enable_monitoring false --force
  # the mgr takes longest to come up (python modules): start it early
  step "starting ceph-mgr" start_daemon ceph-mgr -i x

  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  step "ceph osd new" cli osd new "$osd_uuid"
  step "creating pool demo" cli osd pool create demo 8 8
  step "enabling rbd on demo" cli osd pool application enable demo rbd
  step "ceph-osd --mkfs" ceph-osd -c "$DIR/ceph.conf" -i 0 --mkfs --osd-uuid "$osd_uuid"
  step "starting ceph-osd" start_daemon ceph-osd -i 0

  deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  until reason=$(cluster_ready); do
    [ "$SECONDS" -lt "$deadline" ] || {
      FAILURE="not ready after ${READY_TIMEOUT_SECONDS}s: $reason"
      cli status >&2 || true
      exit 1
    }
    sleep 0.5
  done
  STARTED=1
  echo "ceph-micro: cluster $fsid ready in $(elapsed_since "$begin")s" >&2
  echo "CEPH_CONF=$DIR/ceph.conf"
  echo "CEPH_KEYRING=$DIR/ceph.client.admin.keyring"
  echo "CEPH_CLIENT_KEYRING=$DIR/ceph.client.debvisor.keyring"
}

stop() {
  [ -d "$DIR" ] || return 0
  DIR=$(cd "$DIR" && pwd)
  # only ever delete what `start` made
  [ -e "$DIR/ceph.conf" ] || [ -d "$DIR/run" ] || die "$DIR does not look like a ceph-micro cluster"
  stop_all
  rm -rf "$DIR"
}

kill_mon() {
  local pid
  pid=$(pid_of mon.a) || die "no monitor pid file under $DIR/run"
  is_ours_and_alive "$pid" || die "monitor (pid $pid) is not running"
  kill -KILL "$pid"
  local deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
  while is_ours_and_alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.1
  done
}

[ $# -eq 2 ] || usage
DIR=$2
[ -n "$DIR" ] && [ "$DIR" != / ] || die "refusing DIR '$DIR'"
case "$1" in
  start) start ;;
  stop) stop ;;
  kill-mon) kill_mon ;;
  status) cli -s ;;
  *) usage ;;
esac
