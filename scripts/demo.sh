#!/usr/bin/env bash
# DebVisor demo on this machine: a real micro Ceph cluster (1 mon, 1 memstore OSD, 1 mgr on
# loopback), libvirt's test driver with a sample hypervisor node, and the agent on 127.0.0.1:5000
# (metrics on 127.0.0.1:9500), and - when the controller is built - a controller on 127.0.0.1:5443
# that the agent enrols with, so `debvisor nodes list`, `cephctl health` and `hvctl nodes` show the
# demo node. State lives in .demo/ of the checkout.
#   scripts/demo.sh start | stop | status
# `start` after a crash resumes: a controller or Ceph cluster still running is kept, and old logs
# are kept as agent.log.1, .2, ... (newest first, five at most). While the agent runs, `start`
# starts only what died beside it (the controller, the Ceph cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=lib/version.sh
source "$ROOT/scripts/lib/version.sh"
VERSION=$(debvisor_version "$ROOT")
DEMO="${DEBVISOR_DEMO_DIR:-$ROOT/.demo}"
CEPH_DIR="$DEMO/ceph"
CEPH_SCRIPT="${DEBVISOR_DEMO_CEPH_SCRIPT:-$ROOT/agent/src/test/scripts/ceph-micro.sh}"
JAR="${DEBVISOR_DEMO_AGENT_JAR:-$ROOT/agent/target/debvisor-agent-$VERSION-all.jar}"
PIDFILE="$DEMO/agent.pid"
CTL_JAR="${DEBVISOR_DEMO_CONTROLLER_JAR:-$ROOT/controller/target/debvisor-controller-$VERSION-all.jar}"
CTL_PIDFILE="$DEMO/controller.pid"
CTL_STATE="$DEMO/controller"
CTL_PORT=${DEBVISOR_DEMO_CONTROLLER_PORT:-5443}
GRPC_PORT=${DEBVISOR_DEMO_GRPC_PORT:-5000}
HTTP_PORT=${DEBVISOR_DEMO_HTTP_PORT:-9500}
REST_PORT=${DEBVISOR_DEMO_REST_PORT:-8443}
ADMIN_PASSWORD_FILE="$DEMO/admin-password"

agent_running() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

controller_running() {
  [ -f "$CTL_PIDFILE" ] && kill -0 "$(cat "$CTL_PIDFILE")" 2>/dev/null
}

# True when the micro Ceph cluster of an earlier start still runs: its three daemons are alive and
# were started with this demo's ceph.conf, and the start log says where its files are.
ceph_running() {
  local name pid
  grep -q '^CEPH_CONF=' "$DEMO/ceph-start.log" 2>/dev/null || return 1
  for name in mon.a mgr.x osd.0; do
    pid=$(cat "$CEPH_DIR/run/ceph-$name.pid" 2>/dev/null) || return 1
    [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$CEPH_DIR/ceph.conf" || return 1
  done
}

# Keeps the previous log: FILE -> FILE.1 -> FILE.2 ... (five kept).
rotate_log() {
  local file=$1 i
  [ -s "$file" ] || return 0
  for i in 4 3 2 1; do
    if [ -f "$file.$i" ]; then mv -f "$file.$i" "$file.$((i + 1))"; fi
  done
  mv -f "$file" "$file.1"
}

debvisor_cli() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$CTL_JAR" "$@"
}

start_new_controller() {
  echo "==> starting the controller on 127.0.0.1:$CTL_PORT (state: $CTL_STATE, log: $DEMO/controller.log)" >&2
  rotate_log "$DEMO/controller.log"
  nohup "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx256m -jar "$CTL_JAR" \
    controller serve --state-dir "$CTL_STATE" --listen "127.0.0.1:$CTL_PORT" \
    --rest-listen "127.0.0.1:$REST_PORT" \
    > "$DEMO/controller.log" 2>&1 &
  echo $! > "$CTL_PIDFILE"
  for _ in $(seq 1 60); do
    [ -s "$CTL_STATE/operator-token" ] && grep -q "listening" "$DEMO/controller.log" && break
    controller_running || { echo "error: the controller exited; its log:" >&2; tail -n 30 "$DEMO/controller.log" >&2; exit 1; }
    sleep 0.5
  done
  create_demo_admin
}

# The HTTPS API has no default password: the demo makes user admin with a random one, kept in a
# 0600 file (printed once: its path, never the password).
create_demo_admin() {
  [ -s "$ADMIN_PASSWORD_FILE" ] && return 0
  (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$ADMIN_PASSWORD_FILE")
  debvisor_cli user add admin --role admin --password-file "$ADMIN_PASSWORD_FILE" \
    --state-dir "$CTL_STATE" >&2 \
    || { rm -f "$ADMIN_PASSWORD_FILE"; echo "error: could not create the demo admin" >&2; exit 1; }
}

# Starts the controller (or keeps the one still running) and mints the agent's bootstrap token
# unless the agent already enrolled; prints the agent's controller: section.
start_controller() {
  if [ ! -f "$CTL_JAR" ]; then
    echo "==> controller not built ($CTL_JAR); the agent runs without one" >&2
    return 0
  fi
  if controller_running; then
    # The agent died, the controller did not: keep it (its state and log) and point the agent at it.
    echo "==> the controller is still running (pid $(cat "$CTL_PIDFILE")) on 127.0.0.1:$CTL_PORT; keeping it" >&2
  elif ss -ltn "sport = :$CTL_PORT" 2>/dev/null | grep -q LISTEN; then
    echo "==> port $CTL_PORT is in use by something else (set DEBVISOR_DEMO_CONTROLLER_PORT); the agent runs without a controller" >&2
    return 0
  else
    start_new_controller
  fi
  if [ ! -s "$DEMO/pki/node.pem" ]; then
    (umask 077; debvisor_cli token create --ttl 1h --profile ceph --state-dir "$CTL_STATE" \
      --controller "127.0.0.1:$CTL_PORT" > "$DEMO/bootstrap-token" 2>/dev/null) \
      || { echo "error: could not create a bootstrap token; see $DEMO/controller.log" >&2; exit 1; }
  fi
  cat <<YAML
controller:
  address: "127.0.0.1:$CTL_PORT"
  caFile: $CTL_STATE/pki/ca.pem
  tokenFile: $DEMO/bootstrap-token
  stateDir: $DEMO/pki
  advertiseAddress: "127.0.0.1:$GRPC_PORT"   # loopback only here: no mTLS listener
  heartbeatInterval: 5s
  profile: ceph
YAML
}

# `start` while the agent runs: starts again what died beside it (the controller, the micro Ceph
# cluster) and leaves what runs alone. The agent keeps its configuration: it retries its heartbeats
# until the controller answers again, and its Ceph collector reads the same files.
resume_beside_running_agent() {
  local restarted=()
  mkdir -p "$DEMO"
  if ceph_running; then
    echo "==> the micro Ceph cluster in $CEPH_DIR is still running; keeping it"
  else
    echo "==> the micro Ceph cluster in $CEPH_DIR is not running; starting it"
    "$CEPH_SCRIPT" stop "$CEPH_DIR" >/dev/null 2>&1 || true
    "$CEPH_SCRIPT" start "$CEPH_DIR" > "$DEMO/ceph-start.log"
    restarted+=(ceph)
  fi
  if [ ! -f "$CTL_JAR" ]; then
    echo "==> controller not built ($CTL_JAR); the agent runs without one"
  elif controller_running; then
    echo "==> the controller is still running (pid $(cat "$CTL_PIDFILE")); keeping it"
  elif ! grep -q '^controller:' "$DEMO/agent.yaml" 2>/dev/null; then
    echo "==> the agent was started without a controller; 'scripts/demo.sh stop' and start again to add one"
  elif ss -ltn "sport = :$CTL_PORT" 2>/dev/null | grep -q LISTEN; then
    echo "error: the controller is not running and port $CTL_PORT is in use by something else; free it and run 'scripts/demo.sh start' again" >&2
    exit 1
  else
    echo "==> the controller is not running; starting it again on its state in $CTL_STATE"
    start_new_controller
    restarted+=(controller)
  fi
  if [ ${#restarted[@]} -eq 0 ]; then
    echo "demo already running (agent pid $(cat "$PIDFILE")); nothing to start ('scripts/demo.sh stop' first to start afresh)"
  else
    echo "demo running again: agent pid $(cat "$PIDFILE") kept; started ${restarted[*]}"
  fi
}

start() {
  . scripts/lib/jdk.sh
  [ -f "$JAR" ] || { echo "error: $JAR missing; build first: ./mvnw -DskipTests package" >&2; exit 1; }
  if agent_running; then
    resume_beside_running_agent
    return 0
  fi
  if ss -ltn "sport = :$GRPC_PORT" 2>/dev/null | grep -q LISTEN; then
    echo "error: port $GRPC_PORT is in use; stop what uses it or set DEBVISOR_DEMO_GRPC_PORT" >&2
    exit 1
  fi
  mkdir -p "$DEMO"
  if ceph_running; then
    echo "==> the micro Ceph cluster in $CEPH_DIR is still running; keeping it"
  else
    echo "==> starting a micro Ceph cluster in $CEPH_DIR"
    "$CEPH_SCRIPT" stop "$CEPH_DIR" >/dev/null 2>&1 || true
    "$CEPH_SCRIPT" start "$CEPH_DIR" > "$DEMO/ceph-start.log"
  fi
  mkdir -p "$DEMO/managed"
  # An operator token for UpdateConfig; the agent only keeps its SHA-256.
  if [ ! -s "$DEMO/operator-token" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$DEMO/operator-token")
  fi
  TOKEN_SHA=$(tr -d '\n' < "$DEMO/operator-token" | sha256sum | cut -d' ' -f1)
  CEPH_CONF=$(sed -n 's/^CEPH_CONF=//p' "$DEMO/ceph-start.log")
  CEPH_CLIENT_KEYRING=$(sed -n 's/^CEPH_CLIENT_KEYRING=//p' "$DEMO/ceph-start.log")
  CONTROLLER_SECTION=$(start_controller)
  cat > "$DEMO/agent.yaml" <<YAML
# Demo configuration written by scripts/demo.sh; see agent/src/deb/etc/agent.yaml for every key.
grpc:
  listen: ["127.0.0.1:$GRPC_PORT"]
http:
  listen: "127.0.0.1:$HTTP_PORT"
collectors:
  ceph:
    confFile: $CEPH_CONF
    clientId: debvisor            # read-only cephx key (mon 'allow r')
    keyringFile: $CEPH_CLIENT_KEYRING
  hypervisor:
    uri: test://$ROOT/agent/src/test/resources/libvirt/test-node.xml
  kubernetes:
    kubeconfig: $DEMO/no-kubernetes-here.conf   # absent on purpose: reported ABSENT
config:
  stateDir: $DEMO/state
  allowedRoots: ["$DEMO/managed"]
  allowedUnits: ["demo.service"]
  # No systemd here: "reloading" a unit appends a line to reloads.log.
  reloadCommand: ["sh", "-c", "echo reload \$0 >> $DEMO/reloads.log", "{unit}"]
  restartCommand: ["sh", "-c", "echo restart \$0 >> $DEMO/reloads.log", "{unit}"]
  gateCommands:
    ok: ["true"]
    fail: ["false"]
auth:
  tokens:
    - name: demo-operator
      sha256: $TOKEN_SHA
logging:
  format: json
$CONTROLLER_SECTION
YAML
  echo "==> starting the agent (log: $DEMO/agent.log)"
  rotate_log "$DEMO/agent.log"
  nohup "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx256m -jar "$JAR" \
    --config "$DEMO/agent.yaml" > "$DEMO/agent.log" 2>&1 &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null 2>&1; then
      break
    fi
    if ! agent_running; then
      echo "error: the agent exited; its log:" >&2
      tail -n 30 "$DEMO/agent.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null || { echo "error: agent not ready after 30 s" >&2; exit 1; }
  echo
  echo "DebVisor demo is running: agent pid $(cat "$PIDFILE"), gRPC 127.0.0.1:$GRPC_PORT, metrics http://127.0.0.1:$HTTP_PORT/metrics"
  echo "Health per subsystem (0 OK, 1 WARN, 2 UNKNOWN, 3 ERROR, -1 ABSENT):"
  curl -fsS "http://127.0.0.1:$HTTP_PORT/metrics" | grep '^debvisor_cluster_health' | sed 's/^/  /'
  echo
  echo "Try:  grpcurl -plaintext localhost:$GRPC_PORT list"
  echo "      grpcurl -plaintext localhost:$GRPC_PORT debvisor.Node/Status"
  echo "Configuration updates (token in $DEMO/operator-token): see README, 'Pushing a configuration'"
  if grep -q '^controller:' "$DEMO/agent.yaml"; then
    if [ -s "$DEMO/pki/node.pem" ]; then
      echo "Controller: 127.0.0.1:$CTL_PORT; the agent is enrolled and reports to it. With"
    else
      echo "Controller: 127.0.0.1:$CTL_PORT; the agent enrols within seconds. With"
    fi
    echo "      export DEBVISOR_STATE_DIR=$CTL_STATE DEBVISOR_CONTROLLER=127.0.0.1:$CTL_PORT"
    echo "      debvisor nodes list; cephctl health; hvctl nodes; debvisor audit verify"
    echo "HTTPS API: user admin, password in $ADMIN_PASSWORD_FILE:"
    echo "      curl --cacert $CTL_STATE/pki/ca.pem -u admin:\$(cat $ADMIN_PASSWORD_FILE) https://127.0.0.1:$REST_PORT/api/health"
  fi
  echo "Stop: scripts/demo.sh stop"
}

stop() {
  if agent_running; then
    kill "$(cat "$PIDFILE")"
    for _ in $(seq 1 50); do agent_running || break; sleep 0.2; done
    agent_running && kill -9 "$(cat "$PIDFILE")" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  if controller_running; then
    kill "$(cat "$CTL_PIDFILE")"
    for _ in $(seq 1 50); do controller_running || break; sleep 0.2; done
    controller_running && kill -9 "$(cat "$CTL_PIDFILE")" 2>/dev/null || true
  fi
  rm -f "$CTL_PIDFILE"
  "$CEPH_SCRIPT" stop "$CEPH_DIR" >/dev/null 2>&1 || true
  echo "demo stopped"
}

status() {
  if agent_running; then
    echo "agent running (pid $(cat "$PIDFILE"))"
    curl -fsS "http://127.0.0.1:$HTTP_PORT/metrics" | grep '^debvisor_cluster_health' || true
  else
    echo "agent not running"
  fi
  if controller_running; then
    echo "controller running (pid $(cat "$CTL_PIDFILE")) on 127.0.0.1:$CTL_PORT"
  else
    echo "controller not running"
  fi
  "$CEPH_SCRIPT" status "$CEPH_DIR" 2>/dev/null || echo "ceph not running"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: scripts/demo.sh start|stop|status" >&2; exit 2 ;;
esac
