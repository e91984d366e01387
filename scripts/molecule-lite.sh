#!/bin/bash
# Runs Molecule scenarios (molecule/SCENARIO) the way `molecule test` does, with ansible-playbook
# only, because Molecule itself is not installable here:
#   create (QEMU VMs, scripts/test-vms.sh) → converge → idempotence (a second converge must report
#   changed=0; the tasks that changed are listed otherwise) → check (ansible-playbook --check must
#   pass and predict no change) → verify → destroy (always, also on failure or interruption).
# ansible-core and ansible-lint come from a cached Debian 13 toolbox (scripts/ansible-toolbox.sh).
# A real controller (`debvisor controller serve` from controller/target, on 127.0.0.1, seen by the
# VMs as 10.0.2.2) runs for the whole run, with one bootstrap token per VM; after verify the script
# also asks the controller whether every VM that ran debvisor_agent is in its inventory.
#
#   scripts/molecule-lite.sh [--lint] [--keep] SCENARIO...     e.g. agent hypervisor
#   scripts/molecule-lite.sh --list
#     --lint   run ansible-lint on ansible/ and molecule/ first
#     --keep   leave the VMs running after a failure (stop them with scripts/test-vms.sh stop NAME)
#
# Environment: DEBVISOR_MOLECULE_STATE [/var/lib/debvisor-test/molecule] (logs, inventories, the
# controller's state), DEBVISOR_MOLECULE_CHECK [1] (0 skips the check phase), and those of
# scripts/test-vms.sh and scripts/ansible-toolbox.sh.
# Exit status: 0 when every scenario passed, 1 when one failed (its phase and log are named), 2 for
# bad arguments. Needs root, QEMU, mmdebstrap (scripts/test.sh installs them), the agent
# .deb and the controller jar (./mvnw -DskipTests package).
set -euo pipefail

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
STATE=${DEBVISOR_MOLECULE_STATE:-/var/lib/debvisor-test/molecule}
VM_STATE=${DEBVISOR_VM_STATE:-/var/lib/debvisor-test/vms}
export DEBVISOR_VM_STATE=$VM_STATE
TOOLBOX="$REPO/scripts/ansible-toolbox.sh"
VMS="$REPO/scripts/test-vms.sh"
# Longest a single phase may take (seconds); a loaded 2-core machine needed ~1300 s for Ceph's converge.
PHASE_TIMEOUT=${DEBVISOR_MOLECULE_PHASE_TIMEOUT:-2400}
# 0 leaves out the check-mode phase (the default suite does, for time; the slow suite keeps it).
CHECK_MODE=${DEBVISOR_MOLECULE_CHECK:-1}

die() { echo "molecule-lite: error: $*" >&2; exit 2; }
say() { echo "molecule-lite: $*"; }

lint=false
keep=false
scenarios=()
for arg in "$@"; do
  case $arg in
    --lint) lint=true ;;
    --keep) keep=true ;;
    --list) ls "$REPO/molecule" | grep -v '^resources$' | while read -r s; do [ -f "$REPO/molecule/$s/molecule.yml" ] && echo "$s"; done; exit 0 ;;
    -*) die "unknown option $arg (see the top of $0)" ;;
    *)
      [ -f "$REPO/molecule/$arg/molecule.yml" ] \
        || die "no scenario '$arg': molecule/$arg/molecule.yml does not exist (scripts/molecule-lite.sh --list)"
      scenarios+=("$arg")
      ;;
  esac
done
[ ${#scenarios[@]} -gt 0 ] || $lint || die "name at least one scenario (scripts/molecule-lite.sh --list)"
[ "$(id -u)" -eq 0 ] || die "needs root (QEMU images, chroot); run it with sudo"

. "$REPO/scripts/lib/jdk.sh" >/dev/null
. "$REPO/scripts/lib/version.sh"
# This checkout's version only: a target/ directory may still hold an older version's build.
VERSION=$(debvisor_version "$REPO") || die "cannot read the project version from $REPO/pom.xml"
CTL_JAR=$REPO/controller/target/debvisor-controller-$VERSION-all.jar
[ -f "$CTL_JAR" ] || CTL_JAR=
AGENT_DEB=$REPO/agent/target/debvisor-agent_${VERSION/-/\~}_all.deb
[ -f "$AGENT_DEB" ] || AGENT_DEB=

RUN="$STATE/run-$(date -u +%Y%m%dT%H%M%SZ)-$$"
# Everything bind-mounted into the toolbox must exist before the first "run".
mkdir -p "$RUN" "$VM_STATE"
chmod 700 "$STATE" "$RUN"
# Private copies: a build running beside this one (scripts/test.sh) may rewrite target/ meanwhile.
if [ -n "$CTL_JAR" ]; then
  cp "$CTL_JAR" "$RUN/controller.jar"
  CTL_JAR="$RUN/controller.jar"
fi
if [ -n "$AGENT_DEB" ]; then
  cp "$AGENT_DEB" "$RUN/$(basename "$AGENT_DEB")"
  AGENT_DEB="$RUN/$(basename "$AGENT_DEB")"
fi
TIMINGS="$RUN/timings.txt"
: >"$TIMINGS"
started_vms=()
ctl_pid=""
# The long-running child (VM start, ansible-playbook): run in the background and waited for, so a
# signal reaches the trap at once instead of after the child ends.
child=""

# Runs a command as the current child and waits for it; returns its status.
run_child() {
  "$@" &
  child=$!
  local rc=0
  wait "$child" || rc=$?
  child=""
  return $rc
}

cleanup() {
  local rc=$?
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null || true
  fi
  if [ $rc -ne 0 ] && $keep; then
    say "--keep: VMs left running: ${started_vms[*]:-none}"
  else
    local vm
    for vm in "${started_vms[@]}"; do "$VMS" stop "$vm" || true; done
  fi
  if [ -n "$ctl_pid" ]; then
    kill -TERM "$ctl_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$ctl_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$ctl_pid" 2>/dev/null || true
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ansible-playbook and friends inside the toolbox, seeing the run's state, the image's client key
# and the VMs' known_hosts (set once the image is known).
TB=()

debvisor_cli() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$CTL_JAR" "$@"
}

# Runs one phase with a time limit, its output in LOG; prints the tail of LOG when it fails.
phase() {
  local scenario=$1 name=$2 log=$3
  shift 3
  local t0=$SECONDS rc=0
  # ansible's own log beside it stamps every task with its time: where a slow phase spends it.
  ANSIBLE_LOG_PATH="${log%.log}.timed.log" run_child timeout "$PHASE_TIMEOUT" "$@" >"$log" 2>&1 || rc=$?
  local took=$((SECONDS - t0))
  printf '%-12s %-12s %5d s\n' "$scenario" "$name" "$took" >>"$TIMINGS"
  if [ $rc -ne 0 ]; then
    say "$scenario: $name FAILED after $took s (exit $rc); last lines of $log:"
    tail -n 60 "$log" | sed 's/^/    /'
    [ $rc -eq 124 ] && say "$scenario: $name did not finish within $PHASE_TIMEOUT s"
    return 1
  fi
  say "$scenario: $name ok ($took s)"
}

start_controller() {
  [ -n "$CTL_JAR" ] || { echo "molecule-lite: error: controller/target/debvisor-controller-$VERSION-all.jar is missing; build it: ./mvnw -DskipTests package" >&2; exit 1; }
  local port
  port=""
  local p
  for _ in $(seq 1 50); do
    p=$((40000 + RANDOM % 20000))
    ss -ltn "sport = :$p" | grep -q LISTEN || { port=$p; break; }
  done
  [ -n "$port" ] || { echo "molecule-lite: error: no free loopback port for the controller" >&2; exit 1; }
  CTL_DIR="$RUN/controller"
  CTL_ADDR="127.0.0.1:$port"
  # --server-name 10.0.2.2: the address the VMs reach the host's loopback by.
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx256m -jar "$CTL_JAR" controller serve \
    --state-dir "$CTL_DIR" --listen "$CTL_ADDR" --server-name 10.0.2.2 --heartbeat-interval 2s \
    --rest-listen off \
    >"$RUN/controller.log" 2>&1 &
  ctl_pid=$!
  for _ in $(seq 1 120); do
    grep -q "listening" "$RUN/controller.log" 2>/dev/null && [ -s "$CTL_DIR/operator-token" ] && break
    kill -0 "$ctl_pid" 2>/dev/null || { tail -n 30 "$RUN/controller.log" >&2; echo "molecule-lite: error: the controller exited" >&2; exit 1; }
    sleep 0.5
  done
  grep -q "listening" "$RUN/controller.log" || { echo "molecule-lite: error: the controller did not start within 60 s; see $RUN/controller.log" >&2; exit 1; }
  cp "$CTL_DIR/pki/ca.pem" "$RUN/controller-ca.pem"
  say "controller on $CTL_ADDR (10.0.2.2:$port from the VMs), state $CTL_DIR"
  export DEBVISOR_CONTROLLER_ADDRESS="10.0.2.2:$port"
  export DEBVISOR_CONTROLLER_CA="$RUN/controller-ca.pem"
}

# One single-use bootstrap token per VM, in DEBVISOR_TOKEN_DIR/NAME (0600).
make_token() {
  local name=$1
  (umask 077
    debvisor_cli token create --ttl 1h --state-dir "$CTL_DIR" --controller "$CTL_ADDR" \
      >"$DEBVISOR_TOKEN_DIR/$name" 2>>"$RUN/tokens.log") \
    || { echo "molecule-lite: error: could not create a bootstrap token for $name; see $RUN/tokens.log" >&2; return 1; }
}

# Prints the tasks that reported "changed" in an ansible-playbook log.
changed_tasks() {
  awk '/^TASK \[/ { task = $0; sub(/^TASK \[/, "", task); sub(/\] \**$/, "", task) }
       /^changed: \[/ { print "    " task " on " $2 }' "$1" | sort -u
}

run_scenario() {
  local s=$1 dir="$REPO/molecule/$1" out="$RUN/$1"
  mkdir -p "$out"
  export MOLECULE_PROJECT_DIRECTORY="$REPO" MOLECULE_SCENARIO_NAME="$s" MOLECULE_SCENARIO_DIRECTORY="$dir"
  export DEBVISOR_TOKEN_DIR="$out/tokens"
  mkdir -p "$DEBVISOR_TOKEN_DIR"
  local platforms
  platforms=$("${TB[@]}" python3 "$REPO/scripts/lib/molecule-inventory.py" platforms "$dir/molecule.yml") \
    || { say "$s: cannot read $dir/molecule.yml"; return 1; }
  # create
  : >"$out/vms"
  local t0=$SECONDS name mem line
  while read -r name mem; do
    started_vms+=("$name")
    run_child "$VMS" start "$name" "$mem" </dev/null >"$out/create.$name.out" 2>>"$out/create.log" \
      || { say "$s: create FAILED for $name; see $out/create.log and $VM_STATE/$name/console.log"; tail -n 20 "$out/create.log"; return 1; }
    line=$(tail -n 1 "$out/create.$name.out")
    echo "$line" >>"$out/vms"
    make_token "$name" </dev/null
  done <<<"$platforms"
  printf '%-12s %-12s %5d s\n' "$s" create "$((SECONDS - t0))" >>"$TIMINGS"
  say "$s: create ok ($((SECONDS - t0)) s): $(tr '\n' ' ' <"$out/vms")"
  "${TB[@]}" python3 "$REPO/scripts/lib/molecule-inventory.py" inventory "$dir/molecule.yml" "$out/vms" \
    "$IMAGE/id_ed25519" "$VM_STATE" >"$out/inventory.yml" || { say "$s: cannot write the inventory"; return 1; }

  local play=(ansible-playbook -i "$out/inventory.yml")
  phase "$s" converge "$out/converge.log" "${TB[@]}" "${play[@]}" "$dir/converge.yml" || return 1
  phase "$s" idempotence "$out/idempotence.log" "${TB[@]}" "${play[@]}" "$dir/converge.yml" || return 1
  if grep -Eq '^[^ ].* : ok=[0-9]+ +changed=[1-9]' "$out/idempotence.log"; then
    say "$s: idempotence FAILED: the second converge changed something. Tasks that changed:"
    changed_tasks "$out/idempotence.log"
    grep -E ' : ok=' "$out/idempotence.log" | sed 's/^/    /'
    return 1
  fi
  say "$s: idempotence: $(grep -E ' : ok=' "$out/idempotence.log" | sed -E 's/ +/ /g' | tr '\n' ';')"
  # Check mode on the converged node must run through and predict no change either.
  if [ "$CHECK_MODE" = 1 ]; then
    phase "$s" check "$out/check.log" "${TB[@]}" "${play[@]}" --check "$dir/converge.yml" || return 1
    if grep -Eq '^[^ ].* : ok=[0-9]+ +changed=[1-9]' "$out/check.log"; then
      say "$s: check FAILED: check mode predicts changes on a converged node. Tasks:"
      changed_tasks "$out/check.log"
      return 1
    fi
  else
    say "$s: check skipped (DEBVISOR_MOLECULE_CHECK=0)"
  fi
  phase "$s" verify "$out/verify.log" "${TB[@]}" "${play[@]}" "$dir/verify.yml" || return 1
  # The controller's side: every VM that ran the agent role is in its inventory.
  if grep -q 'TASK \[debvisor_agent' "$out/converge.log"; then
    debvisor_cli nodes list --output json --state-dir "$CTL_DIR" --controller "$CTL_ADDR" >"$out/nodes.json" 2>>"$out/verify.log" \
      || { say "$s: verify FAILED: debvisor nodes list did not answer; see $out/verify.log"; return 1; }
    while read -r name _; do
      grep -q "\"$name\"" "$out/nodes.json" \
        || { say "$s: verify FAILED: the controller does not list $name; see $out/nodes.json"; return 1; }
    done <"$out/vms"
    say "$s: verify: the controller lists $(cut -d' ' -f1 "$out/vms" | tr '\n' ' ')"
  fi
  # destroy
  t0=$SECONDS
  while read -r name _; do
    "$VMS" stop "$name" </dev/null
    local kept=()
    local v
    for v in "${started_vms[@]}"; do [ "$v" = "$name" ] || kept+=("$v"); done
    started_vms=("${kept[@]}")
  done <"$out/vms"
  printf '%-12s %-12s %5d s\n' "$s" destroy "$((SECONDS - t0))" >>"$TIMINGS"
  say "$s: destroy ok ($((SECONDS - t0)) s)"
}

t_all=$SECONDS
t0=$SECONDS
IMAGE=$("$TOOLBOX" path >/dev/null && "$VMS" image)
printf '%-12s %-12s %5d s\n' "-" "images" "$((SECONDS - t0))" >>"$TIMINGS"
TB=("$TOOLBOX" run -b "$STATE" -b "$IMAGE" -b "$VM_STATE")
say "ansible: $("$TOOLBOX" run ansible --version | head -n 1); logs in $RUN"
export ANSIBLE_CONFIG="$REPO/ansible/ansible.cfg" ANSIBLE_ROLES_PATH="$REPO/ansible/roles"
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0

if $lint; then
  phase lint ansible-lint "$RUN/lint.log" "$TOOLBOX" run -b "$STATE" sh -c "cd '$REPO' && ansible-lint --offline -c ansible/.ansible-lint ansible molecule" \
    || exit 1
fi
if [ ${#scenarios[@]} -gt 0 ]; then
  [ -n "$AGENT_DEB" ] || { echo "molecule-lite: error: agent/target/debvisor-agent_${VERSION/-/\~}_all.deb is missing; build it: ./mvnw -pl agent -am -DskipTests package" >&2; exit 1; }
  export DEBVISOR_AGENT_DEB="$AGENT_DEB"
  start_controller
fi
failed=""
for s in "${scenarios[@]}"; do
  say "== scenario $s"
  if ! run_scenario "$s"; then
    failed="$failed $s"
    # The failed scenario's VMs are stopped by the trap (or kept with --keep): stop here.
    break
  fi
done
say "timings (seconds):"
sed 's/^/    /' "$TIMINGS"
say "total $((SECONDS - t_all)) s"
if [ -n "$failed" ]; then
  say "FAILED:$failed (logs in $RUN)"
  exit 1
fi
say "passed: ${scenarios[*]:-lint}"
