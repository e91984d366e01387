#!/bin/bash
# The upgrade path N-1 → N and back on a Debian 13 node (docs/upgrades.md), with the packages
# themselves: one namespace node of test-nodes.sh (Debian 13 root filesystem with Java 21, no
# systemd) runs the controller and the agent from their .debs, installed with dpkg over SSH.
#
#   upgrade-path.sh OLD_DIR NEW_DIR
#     OLD_DIR  debvisor-agent_*.deb and debvisor-controller_*.deb of N-1
#              (scripts/build-release-debs.sh v0.1.0 prints it)
#     NEW_DIR  the same two packages of N (this build)
#
# Phases, each ending with a heartbeat checked in the controller's inventory and a configuration
# bundle pushed through a rollout (UpdateConfig) and found on the node:
#   1 N-1 agent + N-1 controller: install, enrol, push
#   2 agent upgraded to N, controller N-1: identity, certificate, config history and state kept
#   3 controller upgraded to N: CA, operator token, nodes kept, database migrated to N's schema
#   4 agent downgraded to N-1 under the N controller
#   5 controller downgraded to N-1: works on the same state when N added no migration; otherwise
#     it must refuse the newer database (0.1.0, which predates that check, runs on it), and the
#     state saved before phase 3 brings it back
#   6 upgrade of both cut between unpack and configure (dpkg --unpack), finished by
#     dpkg --configure -a
# Prints "upgrade-path: ok: ..." per check and "upgrade-path: passed" at the end; "FAILED: ..."
# and the daemons' logs otherwise. Needs root. Without systemd in the node the daemons are started
# and restarted by this script where the packages' postinst would have systemd do it.
#
# Environment: DEBVISOR_TEST_STATE [/var/lib/debvisor-test] (this run works in upgrade-PID below
# it and removes that at the end), DEBVISOR_TEST_PREFIX [dvu], DEBVISOR_TEST_NET [10.236].
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"

die() { echo "upgrade-path: FAILED: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: upgrade-path.sh OLD_DIR NEW_DIR"
[ "$(id -u)" -eq 0 ] || die "needs root (namespace node)"

deb_in() {
  local f
  f=$(ls "$1"/"$2"_*_all.deb 2>/dev/null | head -n 1) || true
  [ -n "$f" ] || die "no $2_*_all.deb in $1"
  echo "$f"
}
OLD_AGENT=$(deb_in "$1" debvisor-agent)
OLD_CTL=$(deb_in "$1" debvisor-controller)
NEW_AGENT=$(deb_in "$2" debvisor-agent)
NEW_CTL=$(deb_in "$2" debvisor-controller)
deb_version() { dpkg-deb -f "$1" Version; }
OLD_VERSION=$(deb_version "$OLD_AGENT")
NEW_VERSION=$(deb_version "$NEW_AGENT")
[ "$(deb_version "$OLD_CTL")" = "$OLD_VERSION" ] || die "$OLD_AGENT and $OLD_CTL differ in version"
[ "$(deb_version "$NEW_CTL")" = "$NEW_VERSION" ] || die "$NEW_AGENT and $NEW_CTL differ in version"
dpkg --compare-versions "$OLD_VERSION" lt "$NEW_VERSION" \
  || die "N-1 ($OLD_VERSION) is not older than N ($NEW_VERSION)"
# The agent reports its jar's version: 0.2.0-SNAPSHOT for the package version 0.2.0~SNAPSHOT.
jar_version() { echo "${1//\~/-}"; }

# Its own directory: the cleanup removes it, never the state of other tests.
export DEBVISOR_TEST_STATE=${DEBVISOR_TEST_STATE:-/var/lib/debvisor-test}/upgrade-$$
export DEBVISOR_TEST_PREFIX=${DEBVISOR_TEST_PREFIX:-dvu}
export DEBVISOR_TEST_NET=${DEBVISOR_TEST_NET:-10.236}
STATE=$DEBVISOR_TEST_STATE
NODES="$here/test-nodes.sh"
ADDR="$DEBVISOR_TEST_NET.0.6"
ROOT="$STATE/nodes/1/root"
WORK="$STATE/work"
CTL_STATE=/var/lib/debvisor-controller
NODE_ID=upgrade-node
bundle_count=0

cleanup() {
  "$NODES" destroy >/dev/null 2>&1 || true
  rm -rf --one-file-system "$STATE"
}
trap cleanup EXIT

# fd 3 is the script's stderr, also inside polled checks whose own output is kept aside.
exec 3>&2
say() { echo "upgrade-path: $*"; }
ok() { echo "upgrade-path: ok: $*"; }
fail() {
  exec 2>&3
  echo "upgrade-path: FAILED: $*" >&2
  local log
  for log in "$ROOT"/var/log/debvisor-*.log; do
    [ -f "$log" ] || continue
    echo "---- last lines of ${log#"$ROOT"} ----" >&2
    tail -n 15 "$log" | cut -c1-400 >&2
  done
  exit 1
}

# A command in the node, over SSH with the node's own host key only.
node() {
  ssh -q -i "$STATE/id_ed25519" -o BatchMode=yes -o StrictHostKeyChecking=yes \
    -o UserKnownHostsFile="$STATE/known_hosts" -o ConnectTimeout=10 "root@$ADDR" "$@"
}
# The installed debvisor CLI in the node, talking to the node's controller as its operator.
ctl() { node "DEBVISOR_CONTROLLER=$ADDR:5443 debvisor $*"; }

# Polls "$@" every second, at most $1 times.
wait_until() {
  local tries=$1 what=$2 i
  shift 2
  for ((i = 0; i < tries; i++)); do
    if "$@" >"$WORK/last-try.log" 2>&1; then
      return 0
    fi
    sleep 1
  done
  fail "$what (not within $tries tries); the last try said: $(tail -n 5 "$WORK/last-try.log")"
}

# Starts a daemon in the node, detached from the SSH session; its pid goes to /run/NAME.pid.
start_daemon() {
  local name=$1
  shift
  node "setsid $* >>/var/log/$name.log 2>&1 </dev/null & echo \$! >/run/$name.pid"
}

stop_daemon() {
  local name=$1
  node "pid=\$(cat /run/$name.pid 2>/dev/null) || exit 0
    kill \$pid 2>/dev/null || exit 0
    for i in \$(seq 1 300); do kill -0 \$pid 2>/dev/null || exit 0; sleep 0.1; done
    kill -9 \$pid; exit 0"
}

daemon_alive() { node "kill -0 \$(cat /run/$1.pid)"; }

start_controller() {
  node "mkdir -p -m 700 $CTL_STATE"
  start_daemon debvisor-controller debvisor controller serve --state-dir "$CTL_STATE" \
    --listen "$ADDR:5443" --server-name "$ADDR"
  wait_until 300 "controller listens on $ADDR:5443" timeout 2 bash -c "exec 3<>/dev/tcp/$ADDR/5443"
}

start_agent() {
  start_daemon debvisor-agent debvisor-agent --config /etc/debvisor/agent.yaml
}

# The inventory's record of the node as "FIELD=VALUE" lines, as the operator sees it
# (nodes list -o json).
node_record() {
  ctl nodes list -o json | python3 -c '
import json, sys
nodes = [n for n in json.load(sys.stdin).get("nodes", []) if n.get("node_id") == sys.argv[1]]
if not nodes:
    sys.exit(1)
n = nodes[0]
print("agent_version=%s" % n.get("last_status", {}).get("node", {}).get("agent_version", ""))
for key in ("enrolment", "certificate_serial", "enrolled_at", "agent_address"):
    print("%s=%s" % (key, n.get(key, "")))
' "$NODE_ID"
}

field() { sed -n "s/^$1=//p" <<<"$2"; }

# One SQL query on the node's controller database, read only (cheap enough to poll, unlike a CLI
# call, which starts a JVM).
db_query() {
  node "python3 -c \"import sqlite3, sys; c = sqlite3.connect('file:$CTL_STATE/controller.db?mode=ro', uri=True); print(' '.join(str(r[0]) for r in c.execute(sys.argv[1], sys.argv[2:])))\" \"$1\" ${*:2}"
}

# Waits for a heartbeat that reached the controller after now, then checks that the node reports
# agent version $1 and is still active.
expect_heartbeat() {
  local version since record
  version=$(jar_version "$1")
  since=$(date +%s)
  heartbeat_since() {
    local seen
    seen=$(db_query "SELECT last_seen FROM nodes WHERE id = ?" "$NODE_ID")
    # Milliseconds since the epoch.
    [ -n "$seen" ] && [ "$seen" != None ] && [ $((seen / 1000)) -gt "$since" ]
  }
  wait_until 120 "heartbeat after $(date -d "@$since" +%T)" heartbeat_since
  record=$(node_record) || fail "node $NODE_ID missing from nodes list"
  [ "$(field agent_version "$record")" = "$version" ] \
    || fail "$2: the node reports agent $(field agent_version "$record"), expected $version"
  [ "$(field enrolment "$record")" = ENROLMENT_ACTIVE ] || fail "node not active: $record"
  ok "$2: heartbeat from agent $version accepted (node $NODE_ID active)"
}

# Pushes a new configuration bundle through a rollout and checks the file on the node.
push_config() {
  local label=$1 version id
  bundle_count=$((bundle_count + 1))
  version="upgrade-v$bundle_count"
  cat >"$ROOT/root/$version.yaml" <<YAML
version: $version
files:
  - path: /etc/debvisor/managed/upgrade.conf
    mode: "0644"
    owner: root
    group: root
    content: "$version pushed in: $label\n"
YAML
  id=$(ctl rollout create "/root/$version.yaml" --canary 1 --gate-window 0s -o json \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])') \
    || fail "$label: rollout of $version refused"
  rollout_succeeded() {
    local state
    state=$(db_query "SELECT state FROM rollouts WHERE id = ?" "$id")
    case $state in
      SUCCEEDED) return 0 ;;
      ROLLED_BACK | ABORTED) fail "$label: rollout $id of $version ended $state" ;;
      *) return 1 ;;
    esac
  }
  wait_until 120 "$label: rollout $id of $version succeeded" rollout_succeeded
  [ "$(cat "$ROOT/etc/debvisor/managed/upgrade.conf")" = "$version pushed in: $label" ] \
    || fail "$label: /etc/debvisor/managed/upgrade.conf does not hold $version"
  ok "$label: configuration $version applied through UpdateConfig (rollout $id)"
}

installed_version() { node "dpkg-query -W -f='\${Status} \${Version}' $1"; }

expect_installed() {
  local got
  got=$(installed_version "$1")
  [ "$got" = "install ok installed $2" ] || fail "$1: expected 'install ok installed $2', dpkg says '$got'"
}

install_debs() {
  local deb
  mkdir -p "$ROOT/root/debs"
  for deb in "$@"; do
    cp "$deb" "$ROOT/root/debs/"
  done
  node "cd /root/debs && DEBIAN_FRONTEND=noninteractive dpkg -i --force-confdef --force-confold $(for deb in "$@"; do printf '%s ' "$(basename "$deb")"; done) </dev/null" \
    >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "dpkg -i $*"; }
}

# Checksums of what must survive a package change: the agent's identity and certificate, its
# configuration history and state; the controller's CA and operator token.
agent_sums() { node "cd /var/lib/debvisor && find pki config -type f | LC_ALL=C sort | xargs sha256sum"; }
# The controller's server and client certificates are issued anew by the CA at every start, so
# only the CA and the operator token are compared.
controller_sums() { node "cd $CTL_STATE && sha256sum operator-token pki/ca.key pki/ca.pem"; }

expect_same() {
  [ "$2" = "$3" ] || fail "$1 changed:
before:
$2
after:
$3"
  ok "$1 unchanged ($(wc -l <<<"$2") files)"
}

# Schema versions Flyway applied to the node's database, and the ones a controller package ships.
applied_migrations() {
  db_query "SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL ORDER BY installed_rank"
}
shipped_migrations() {
  dpkg-deb --fsys-tarfile "$1" | tar -xO ./usr/share/debvisor-controller/debvisor-controller.jar >"$WORK/ctl.jar"
  python3 -c '
import re, sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
versions = [m.group(1).replace("_", ".") for m in (re.match(r"db/migration/sqlite/V([0-9_.]+)__.*\.sql$", n) for n in names) if m]
print(" ".join(sorted(versions, key=lambda v: [int(p) for p in v.split(".")])))
' "$WORK/ctl.jar"
}

# ---------------------------------------------------------------------------------------------
say "N-1 = $OLD_VERSION, N = $NEW_VERSION"
"$NODES" destroy >/dev/null 2>&1 || true
mkdir -p "$WORK"
"$NODES" create 1 >"$WORK/nodes.log" 2>&1 || { cat "$WORK/nodes.log" >&2; die "test-nodes.sh create 1"; }
wait_until 30 "node answers SSH" node true

say "phase 1: agent $OLD_VERSION + controller $OLD_VERSION"
install_debs "$OLD_AGENT" "$OLD_CTL"
expect_installed debvisor-agent "$OLD_VERSION"
expect_installed debvisor-controller "$OLD_VERSION"
start_controller
token=$(ctl token create --ttl 10m) || fail "token create"
node "install -m 600 /dev/null /etc/debvisor/bootstrap-token && echo '$token' >/etc/debvisor/bootstrap-token
  install -m 644 $CTL_STATE/pki/ca.pem /etc/debvisor/controller-ca.pem
  mkdir -p /etc/debvisor/managed"
cat >"$ROOT/etc/debvisor/agent.yaml" <<YAML
node:
  id: $NODE_ID
  hostname: $NODE_ID
grpc:
  listen: ["127.0.0.1:5000", "0.0.0.0:5001"]
http:
  listen: "127.0.0.1:9500"
collectors:
  ceph: {enabled: false}
  hypervisor: {enabled: false}
  kubernetes: {enabled: false}
config:
  stateDir: /var/lib/debvisor/config
  allowedRoots: ["/etc/debvisor/managed"]
controller:
  address: $ADDR:5443
  caFile: /etc/debvisor/controller-ca.pem
  tokenFile: /etc/debvisor/bootstrap-token
  stateDir: /var/lib/debvisor/pki
  advertiseAddress: $ADDR:5001
  heartbeatInterval: 1s
  retryMax: 1s
  profile: ceph
logging:
  level: INFO
YAML
start_agent
wait_until 120 "agent enrolled (/var/lib/debvisor/pki/node.pem)" test -s "$ROOT/var/lib/debvisor/pki/node.pem"
expect_heartbeat "$OLD_VERSION" "phase 1"
push_config "phase 1 (agent $OLD_VERSION, controller $OLD_VERSION)"
record_before=$(node_record)

say "phase 2: agent upgraded to $NEW_VERSION, controller stays $OLD_VERSION"
agent_before=$(agent_sums)
install_debs "$NEW_AGENT"
expect_installed debvisor-agent "$NEW_VERSION"
stop_daemon debvisor-agent
start_agent
expect_heartbeat "$NEW_VERSION" "phase 2 (agent $NEW_VERSION, controller $OLD_VERSION)"
expect_same "agent identity, certificate, config history and state after the upgrade" "$agent_before" "$(agent_sums)"
record=$(node_record)
[ "$(field certificate_serial "$record")" = "$(field certificate_serial "$record_before")" ] \
  || fail "the node's certificate serial changed: $record_before / $record"
ok "phase 2: same node id and certificate serial $(field certificate_serial "$record"), no re-enrolment"
push_config "phase 2 (agent $NEW_VERSION, controller $OLD_VERSION)"

say "phase 3: controller upgraded to $NEW_VERSION"
controller_before=$(controller_sums)
stop_daemon debvisor-controller
# The state as a backup would hold it (cold copy, controller stopped): phase 5 may need it.
node "rm -rf /root/controller-state-before && cp -a $CTL_STATE /root/controller-state-before"
install_debs "$NEW_CTL"
expect_installed debvisor-controller "$NEW_VERSION"
start_controller
expect_same "controller CA and operator token after the upgrade" "$controller_before" "$(controller_sums)"
record=$(node_record) || fail "the node is gone from the upgraded controller's inventory"
[ "$(field enrolled_at "$record")" = "$(field enrolled_at "$record_before")" ] \
  && [ "$(field certificate_serial "$record")" = "$(field certificate_serial "$record_before")" ] \
  || fail "the node's enrolment changed in the upgraded inventory: $record_before / $record"
ok "phase 3: node $NODE_ID kept in the inventory (enrolled $(field enrolled_at "$record"))"
shipped=$(shipped_migrations "$NEW_CTL")
applied=$(applied_migrations)
[ -n "$shipped" ] && [ "$applied" = "$shipped" ] \
  || fail "database schema: applied '$applied', controller $NEW_VERSION ships '$shipped'"
ok "phase 3: database migrated to $NEW_VERSION's schema (versions $applied)"
ctl audit verify >"$WORK/audit.log" 2>&1 || { cat "$WORK/audit.log" >&2; fail "audit verify after the upgrade"; }
ok "phase 3: audit chain verifies after the upgrade"
expect_heartbeat "$NEW_VERSION" "phase 3 (agent $NEW_VERSION, controller $NEW_VERSION)"
push_config "phase 3 (agent $NEW_VERSION, controller $NEW_VERSION)"

say "phase 4: agent downgraded to $OLD_VERSION under controller $NEW_VERSION"
agent_before=$(agent_sums)
install_debs "$OLD_AGENT"
expect_installed debvisor-agent "$OLD_VERSION"
stop_daemon debvisor-agent
start_agent
expect_heartbeat "$OLD_VERSION" "phase 4 (agent $OLD_VERSION, controller $NEW_VERSION)"
expect_same "agent identity, certificate, config history and state after the downgrade" "$agent_before" "$(agent_sums)"
push_config "phase 4 (agent $OLD_VERSION, controller $NEW_VERSION)"

say "phase 5: controller downgraded to $OLD_VERSION"
stop_daemon debvisor-controller
install_debs "$OLD_CTL"
expect_installed debvisor-controller "$OLD_VERSION"
if [ "$(shipped_migrations "$OLD_CTL")" = "$shipped" ]; then
  start_controller
  ok "phase 5: controller $OLD_VERSION runs on $NEW_VERSION's state (same schema, no restore needed)"
elif dpkg --compare-versions "$OLD_VERSION" lt 0.2.0; then
  # 0.1.0 predates the newer-schema check: its Flyway ignores migrations it does not know (measured:
  # it starts on 0.2.0's database and leaves the tables it does not know alone). docs/upgrades.md
  # says so; the restore of the state saved before the upgrade is still the documented way back.
  start_controller
  ok "phase 5: controller $OLD_VERSION (no newer-schema check) runs on $NEW_VERSION's database"
  stop_daemon debvisor-controller
  node "rm -rf $CTL_STATE && cp -a /root/controller-state-before $CTL_STATE"
  start_controller
  ok "phase 5: the state saved before the upgrade brings controller $OLD_VERSION back"
else
  # N changed the schema: N-1 must refuse the newer database rather than run on it.
  node "mkdir -p -m 700 $CTL_STATE"
  start_daemon debvisor-controller debvisor controller serve --state-dir "$CTL_STATE" \
    --listen "$ADDR:5443" --server-name "$ADDR"
  refused() { ! daemon_alive debvisor-controller; }
  wait_until 120 "controller $OLD_VERSION stops on $NEW_VERSION's database" refused
  grep -q "from a newer controller" "$ROOT/var/log/debvisor-controller.log" \
    || fail "controller $OLD_VERSION stopped without naming the newer schema"
  ok "phase 5: controller $OLD_VERSION refuses $NEW_VERSION's newer database"
  node "rm -rf $CTL_STATE && cp -a /root/controller-state-before $CTL_STATE"
  start_controller
  ok "phase 5: the state saved before the upgrade brings controller $OLD_VERSION back"
fi
expect_heartbeat "$OLD_VERSION" "phase 5 (agent $OLD_VERSION, controller $OLD_VERSION)"
push_config "phase 5 (agent $OLD_VERSION, controller $OLD_VERSION)"

say "phase 6: upgrade to $NEW_VERSION cut between unpack and configure"
stop_daemon debvisor-agent
stop_daemon debvisor-controller
cp "$NEW_AGENT" "$NEW_CTL" "$ROOT/root/debs/"
node "cd /root/debs && dpkg --unpack $(basename "$NEW_AGENT") $(basename "$NEW_CTL") </dev/null" >"$WORK/dpkg.log" 2>&1 \
  || { cat "$WORK/dpkg.log" >&2; fail "dpkg --unpack"; }
for pkg in debvisor-agent debvisor-controller; do
  got=$(installed_version $pkg)
  [ "$got" = "install ok unpacked $NEW_VERSION" ] || fail "$pkg after --unpack: dpkg says '$got'"
done
ok "phase 6: both packages unpacked, not configured"
node "dpkg --configure -a </dev/null" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "dpkg --configure -a"; }
expect_installed debvisor-agent "$NEW_VERSION"
expect_installed debvisor-controller "$NEW_VERSION"
ok "phase 6: dpkg --configure -a finished the upgrade"
node "dpkg --audit" >"$WORK/audit.log" 2>&1 && [ ! -s "$WORK/audit.log" ] \
  || { cat "$WORK/audit.log" >&2; fail "dpkg --audit reports broken packages"; }
start_controller
start_agent
expect_heartbeat "$NEW_VERSION" "phase 6 (agent $NEW_VERSION, controller $NEW_VERSION)"
push_config "phase 6 (agent $NEW_VERSION, controller $NEW_VERSION)"
ctl audit verify >"$WORK/audit.log" 2>&1 || { cat "$WORK/audit.log" >&2; fail "audit verify at the end"; }
ok "audit chain verifies at the end"

say "passed"
