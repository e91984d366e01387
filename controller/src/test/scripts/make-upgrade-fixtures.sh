#!/usr/bin/env bash
# Regenerates the state that the previous release (N-1, default v0.1.0) leaves on disk, for the
# default suite's upgrade tests (UpgradeFromPreviousReleaseTest, docs/upgrades.md). The state is
# made by that release's own controller and agent, not by this build:
#
#   make-upgrade-fixtures.sh [TAG]       (default v0.1.0; needs root: it runs in a network
#                                         namespace of its own, so only its loopback is used)
#
# 1. the release's jars: from the .debs of scripts/build-release-debs.sh TAG (built from the tag
#    once, cached), or from OLD_CONTROLLER_JAR / OLD_AGENT_JAR when both are set;
# 2. its controller starts on an empty state directory; two bootstrap tokens are created (one the
#    agent enrols with, one left unused, valid for 30 days), its agent enrols (node id
#    upgrade-fixture-node) and gets two configuration bundles through rollouts;
# 3. both stop (SIGTERM, as systemd stops them) and their state directories are copied as they are
#    into controller/src/test/resources/upgrade/TAG/ (the old fixture is replaced):
#      controller/   the controller's state directory (controller.db, operator-token, pki/)
#      agent/pki/    the agent's identity (node.key, node.pem, ca.pem)
#      agent/config/ the agent's configuration state (history, current version, journal)
#      agent/managed/ the files the bundles wrote
#      agent/agent.yaml  its settings, paths written as @AGENT_DIR@
#      fixture.properties  what the tests check against (versions, ids, token, counts, dates)
#
# Keys and tokens in the fixture belong to a throwaway CA made by this script; they secure nothing.
# The node certificate is issued for 398 days (the most a controller issues), so tests that present
# it to a controller skip that step once it has expired: run this script again then.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
tag=${1:-v0.1.0}
out="$repo/controller/src/test/resources/upgrade/$tag"

die() { echo "make-upgrade-fixtures: error: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (it runs in a network namespace of its own)"

# Re-run inside a new network namespace: only its own loopback exists there.
if [ "${DEBVISOR_FIXTURE_NETNS:-}" != 1 ]; then
  exec env DEBVISOR_FIXTURE_NETNS=1 unshare --net --fork -- "$0" "$@"
fi
ip link set lo up

# shellcheck source=../../../../scripts/lib/jdk.sh
source "$repo/scripts/lib/jdk.sh"
work=$(mktemp -d /tmp/debvisor-upgrade-fixture.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${OLD_CONTROLLER_JAR:-}" ] && [ -n "${OLD_AGENT_JAR:-}" ]; then
  ctl_jar=$OLD_CONTROLLER_JAR
  agent_jar=$OLD_AGENT_JAR
else
  debs=$("$repo/scripts/build-release-debs.sh" "$tag")
  dpkg-deb --fsys-tarfile "$debs"/debvisor-controller_*_all.deb \
    | tar -xO ./usr/share/debvisor-controller/debvisor-controller.jar >"$work/controller.jar"
  dpkg-deb --fsys-tarfile "$debs"/debvisor-agent_*_all.deb \
    | tar -xO ./usr/share/debvisor-agent/debvisor-agent.jar >"$work/agent.jar"
  ctl_jar=$work/controller.jar
  agent_jar=$work/agent.jar
fi
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx256m)
# Not a shell function: a function run with & is a subshell, and its pid in $! is not the JVM's,
# so the SIGTERM below would miss the daemon.
java() { "${JAVA[@]}" "$@"; }
version=$(java -jar "$ctl_jar" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+[^ ]*' | head -n 1 || true)
[ -n "$version" ] || die "cannot read the version of $ctl_jar"
echo "make-upgrade-fixtures: $tag (controller and agent $version) in $work" >&2

CTL_PORT=5443
AGENT_PLAIN=5000
AGENT_TLS=5001
NODE_ID=upgrade-fixture-node
ctl_state=$work/controller
agent_dir=$work/agent
export DEBVISOR_STATE_DIR=$ctl_state DEBVISOR_CONTROLLER=127.0.0.1:$CTL_PORT
debvisor() { java -jar "$ctl_jar" "$@"; }

wait_until() {  # TRIES WHAT COMMAND...: every 0.5 s
  local tries=$1 what=$2 i
  shift 2
  for ((i = 0; i < tries; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "---- controller log ----" >&2; tail -n 20 "$work/controller.log" >&2 || true
  echo "---- agent log ----" >&2; tail -n 20 "$work/agent.log" >&2 || true
  die "$what: not within $((tries / 2)) s"
}
db() {  # one read-only query on the controller's database
  python3 -c 'import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(" ".join(str(r[0]) for r in c.execute(sys.argv[2], sys.argv[3:])))' "$ctl_state/controller.db" "$@"
}
listens() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1"; }

mkdir -m 700 "$ctl_state"
"${JAVA[@]}" -jar "$ctl_jar" controller serve --state-dir "$ctl_state" --listen "127.0.0.1:$CTL_PORT" \
  --server-name 127.0.0.1 --cert-validity 398d --bundle-root "$agent_dir/managed" \
  >"$work/controller.log" 2>&1 &
pids+=($!)
ctl_pid=$!
wait_until 240 "controller listens" listens "$CTL_PORT"

token=$(debvisor token create --ttl 1h --host "$NODE_ID" --profile ceph)
unused_token=$(debvisor token create --ttl 30d --host spare-node --profile ceph)

mkdir -p "$agent_dir/managed" "$agent_dir/secrets"
(umask 077; echo "$token" >"$agent_dir/secrets/bootstrap-token")
cat >"$agent_dir/agent.yaml" <<YAML
node:
  id: $NODE_ID
  hostname: $NODE_ID
grpc:
  listen: ["127.0.0.1:$AGENT_PLAIN", "0.0.0.0:$AGENT_TLS"]
http:
  listen: "127.0.0.1:9500"
collectors:
  ceph: {enabled: false}
  hypervisor: {enabled: false}
  kubernetes: {enabled: false}
config:
  stateDir: $agent_dir/config
  allowedRoots: ["$agent_dir/managed"]
controller:
  address: 127.0.0.1:$CTL_PORT
  caFile: $ctl_state/pki/ca.pem
  tokenFile: $agent_dir/secrets/bootstrap-token
  stateDir: $agent_dir/pki
  advertiseAddress: 127.0.0.1:$AGENT_TLS
  heartbeatInterval: 1s
  retryMax: 1s
  profile: ceph
YAML
"${JAVA[@]}" -jar "$agent_jar" --config "$agent_dir/agent.yaml" >"$work/agent.log" 2>&1 &
pids+=($!)
agent_pid=$!
enrolled() { [ "$(db "SELECT count(*) FROM nodes WHERE id = ? AND last_seen IS NOT NULL" "$NODE_ID")" = 1 ]; }
wait_until 240 "agent enrolled and heartbeating" enrolled
wait_until 120 "agent serves mutual TLS" listens "$AGENT_TLS"

push() {  # VERSION CONTENT
  local id
  cat >"$work/$1.yaml" <<YAML
version: $1
files:
  - path: $agent_dir/managed/upgrade.conf
    mode: "0644"
    owner: root
    group: root
    content: "$2\n"
YAML
  id=$(debvisor rollout create "$work/$1.yaml" --canary 1 --gate-window 0s -o json \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  succeeded() { [ "$(db "SELECT state FROM rollouts WHERE id = ?" "$id")" = SUCCEEDED ]; }
  wait_until 240 "rollout $id of $1" succeeded
  [ "$(cat "$agent_dir/managed/upgrade.conf")" = "$2" ] || die "$1 not on disk"
}
push fixture-v1 "written by $version, first bundle"
push fixture-v2 "written by $version, second bundle"

# Stop as systemd would: SIGTERM, then wait.
for pid in "$agent_pid" "$ctl_pid"; do
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && die "pid $pid did not stop within 20 s"
done
# Whatever SQLite left in controller.db-wal at the stop is part of the state as a package upgrade
# finds it, so it is kept (the -shm index SQLite rebuilds is not); wal= says whether there was one.
wal=no
[ -s "$ctl_state/controller.db-wal" ] && wal=yes

node_serial=$(db "SELECT cert_serial FROM nodes WHERE id = ?" "$NODE_ID")
schema=$(db "SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")
audit_rows=$(db "SELECT count(*) FROM audit_log")
rollouts=$(db "SELECT count(*) FROM rollouts")

rm -rf "$out.new"
mkdir -p "$out.new"
cp -a "$ctl_state" "$out.new/controller"
rm -f "$out.new/controller/controller.db-shm"
mkdir -p "$out.new/agent"
cp -a "$agent_dir/pki" "$agent_dir/config" "$agent_dir/managed" "$out.new/agent/"
sed "s|$agent_dir|@AGENT_DIR@|g; s|$ctl_state|@CONTROLLER_DIR@|g" "$agent_dir/agent.yaml" \
  >"$out.new/agent/agent.yaml"
cat >"$out.new/fixture.properties" <<PROPS
# Written by controller/src/test/scripts/make-upgrade-fixtures.sh; do not edit.
tag=$tag
commit=$(git -C "$repo" rev-parse --verify --quiet "$tag^{commit}" || echo unknown)
version=$version
generated=$(date -u +%Y-%m-%dT%H:%M:%SZ)
schema=$schema
wal=$wal
node.id=$NODE_ID
node.serial=$node_serial
token.unused=$unused_token
config.versions=fixture-v1,fixture-v2
config.current=fixture-v2
rollouts=$rollouts
audit.rows=$audit_rows
PROPS
rm -rf "$out"
mv "$out.new" "$out"
echo "make-upgrade-fixtures: wrote $out ($(du -sh "$out" | cut -f1)); schema $schema, $audit_rows audit rows" >&2
