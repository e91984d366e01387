#!/usr/bin/env bash
# Runs DebVisor's test suite from the state a newcomer's machine has: installs what the tests need,
# removes the state earlier runs left (/var/lib/debvisor-test), then the full Maven build (format
# check, unit and integration tests against real Ceph, libvirt, sshd nodes, SQLite, xorriso, .deb +
# lintian, coverage) while the Ansible roles converge a Debian 13 QEMU VM beside it.
#
#   scripts/test.sh [--slow] [--fresh] [MAVEN ARGUMENTS...]
#     --slow    the slow suite as well: ISO installs in QEMU, the arm64 and double image builds, the
#               upgrade path from the last release (UpgradePathIT), every Molecule scenario (agent
#               hypervisor ceph k8s site) — hours on 2 cores
#     --fresh   also empty the caches (VM image, node root filesystem, Ansible toolbox, .deb caches);
#               same as DEBVISOR_FRESH=1
#   Extra arguments go to Maven, e.g. scripts/test.sh -pl agent -Dtest=SettingsLoaderTest (with -pl
#   or -Dtest the Molecule run is left out unless -Ddebvisor.ansibleTests=true is given).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

slow=false
fresh=${DEBVISOR_FRESH:-0}
maven_args=()
for arg in "$@"; do
  case $arg in
    --slow) slow=true ;;
    --fresh) fresh=1 ;;
    -Ddebvisor.slow=true) slow=true ;;
    *) maven_args+=("$arg") ;;
  esac
done

. scripts/lib/packages.sh
# First what the background image builds below need; the rest installs while Maven builds.
# shellcheck disable=SC2086
debvisor_install_packages $DEBVISOR_NODE_PACKAGES $DEBVISOR_ANSIBLE_PACKAGES
echo "==> image build tools ready after $((SECONDS - started)) s"

. scripts/lib/test-state.sh
debvisor_reset_test_state "$fresh"
mkdir -p "$DEBVISOR_TEST_STATE_DIR"
chmod 700 "$DEBVISOR_TEST_STATE_DIR" 2>/dev/null || true

. scripts/lib/jdk.sh
echo "==> JDK: $JAVA_HOME"

# The Molecule run (QEMU VM + Ansible) is the longest part and independent of the Maven tests: it
# runs beside them and MoleculeLiteIT asserts on its result. Left out for partial runs.
molecule=true
case " ${maven_args[*]:-} " in
  *" -Ddebvisor.ansibleTests=false "*) molecule=false ;;
  *" -Ddebvisor.ansibleTests=true "*) ;;
  *" -pl "* | *" -Dtest="* | *" -Dit.test="*) molecule=false ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  molecule=false
fi
# The default suite converges one VM with the agent role (enrolling with a real controller); the
# hypervisor-profile "default" scenario and the others are in the slow suite.
scenarios=agent
if $slow; then
  scenarios="default agent hypervisor ceph k8s site"
else
  # That scenario's VM has its packages installed in the image (scripts/test-vms.sh), and
  # the check-mode phase is left to the slow suite: each playbook run costs minutes under TCG.
  export DEBVISOR_VM_PREINSTALL=1 DEBVISOR_MOLECULE_CHECK=0
fi

warm_log="$DEBVISOR_TEST_STATE_DIR/warm-up"
warm_pids=()
molecule_pid=""
packages_pid=""
stop_background() {
  local pid
  # An interrupted dpkg leaves the machine half-configured: the package install always finishes.
  if [ -n "$packages_pid" ]; then
    wait "$packages_pid" 2>/dev/null || true
  fi
  for pid in "${warm_pids[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
  if [ -n "$molecule_pid" ] && kill -0 "$molecule_pid" 2>/dev/null; then
    pkill -TERM -P "$molecule_pid" 2>/dev/null || true
    wait "$molecule_pid" 2>/dev/null || true
  fi
}
trap stop_background EXIT
mkdir -p "$warm_log"
if [ "$(id -u)" -eq 0 ]; then
  # Caches the tests would otherwise build on first use, built now in parallel with the Maven
  # build (each script takes a lock, so a test that needs one while it is built waits for it).
  echo "==> building the test root filesystems in the background (logs in $warm_log)"
  # Lower priority: the namespace nodes are needed minutes later than the VM image and toolbox.
  nice -n 10 controller/src/test/scripts/test-nodes.sh rootfs >"$warm_log/node-rootfs.log" 2>&1 &
  warm_pids+=($!)
  if $molecule; then
    scripts/ansible-toolbox.sh path >"$warm_log/ansible-toolbox.log" 2>&1 &
    warm_pids+=($!)
    scripts/test-vms.sh image >"$warm_log/vm-image.log" 2>&1 &
    warm_pids+=($!)
  fi
fi

packages_log="$DEBVISOR_TEST_STATE_DIR/packages.log"
(
  # shellcheck disable=SC2086
  debvisor_install_packages $DEBVISOR_TEST_PACKAGES
  if $slow; then
    # shellcheck disable=SC2086
    debvisor_install_packages $DEBVISOR_SLOW_TEST_PACKAGES
    # ImageBuildSlowTest builds an arm64 image on this host.
    debvisor_enable_foreign_arch arm64
  fi
) >"$packages_log" 2>&1 &
packages_pid=$!

# The tests need every package: waits for the background install, stops the run when it failed.
await_packages() {
  if ! wait "$packages_pid"; then
    echo "==> installing the test suite's Debian packages failed; last lines of $packages_log:" >&2
    tail -n 30 "$packages_log" >&2
    exit 1
  fi
  cat "$packages_log"
  echo "==> packages ready after $((SECONDS - started)) s"
}

# Two Maven processes share ~/.m2 below: file locks keep their downloads from colliding.
mvn=(./mvnw -B --no-transfer-progress -Daether.syncContext.named.factory=file-lock
  -Daether.syncContext.named.nameMapper=file-gav)
# Fetches the wrapper's Maven once, before two processes could both try.
"${mvn[@]}" -q -v >/dev/null
molecule_run="$DEBVISOR_TEST_STATE_DIR/molecule-early"
if $molecule; then
  # The VM needs this build's agent package and controller jar. They are built from a copy of the
  # checkout, with its own target/ directories, so the tests below start at once instead of waiting
  # for a package build, and nothing the main build rewrites can reach the VM half-written.
  molecule_src="$DEBVISOR_TEST_STATE_DIR/molecule-build"
  mkdir -p "$molecule_run" "$molecule_src"
  tar -cf - --exclude=./.git --exclude=target . | tar -C "$molecule_src" -xf -
  echo "==> Molecule scenario(s) '$scenarios' start after their package build (log: $molecule_run/output.log)"
  # shellcheck disable=SC2086
  (
    rc=0
    if ! (cd "$molecule_src" && "${mvn[@]}" -q -DskipTests -Dspotless.check.skip=true \
      -Djacoco.skip=true -pl controller -am package) >"$molecule_run/build.log" 2>&1; then
      echo "molecule-lite: FAILED: building the agent package and the controller jar for the VM; see $molecule_run/build.log" >"$molecule_run/output.log"
      rc=1
    else
      # From inside the copy: the toolbox's chroot starts in the caller's directory and binds
      # only the checkout it runs from.
      (cd "$molecule_src" && scripts/molecule-lite.sh $scenarios) >"$molecule_run/output.log" 2>&1 || rc=$?
    fi
    echo "$rc" >"$molecule_run/exit.tmp" && mv "$molecule_run/exit.tmp" "$molecule_run/exit"
  ) &
  molecule_pid=$!
  maven_args+=("-Ddebvisor.moleculeRun=$molecule_run" "-Ddebvisor.ansibleScenarios=$scenarios"
    "-Ddebvisor.moleculeCheck=${DEBVISOR_MOLECULE_CHECK:-1}")
else
  maven_args+=("-Ddebvisor.ansibleTests=false")
  echo "==> Molecule run left out (partial run, not root, or -Ddebvisor.ansibleTests=false)"
fi
if $slow; then
  maven_args+=("-Ddebvisor.slow=true")
fi
if [ "$(id -u)" -eq 0 ]; then
  # The ISO builder's downloads go to the tests' cache, not root's ~/.cache/debvisor.
  maven_args+=("-Ddebvisor.testXdgCache=$DEBVISOR_TEST_CACHE_DIR/xdg")
fi


await_packages
rc=0
"${mvn[@]}" verify "${maven_args[@]}" || rc=$?
if [ -n "$molecule_pid" ]; then
  # MoleculeLiteIT waited for it already when Maven got that far; otherwise stop it.
  if [ $rc -ne 0 ]; then
    stop_background
  fi
  wait "$molecule_pid" 2>/dev/null || true
  molecule_pid=""
  grep -E '^molecule-lite: (total|passed|FAILED)' "$molecule_run/output.log" 2>/dev/null || true
  # Also when Maven was told to skip the integration tests, a failed Molecule run fails the suite.
  if [ $rc -eq 0 ] && [ "$(cat "$molecule_run/exit" 2>/dev/null)" != 0 ]; then
    echo "==> the Molecule run failed; see $molecule_run/output.log" >&2
    rc=1
  fi
fi
echo "==> scripts/test.sh finished after $((SECONDS - started)) s (exit $rc)"
exit $rc
