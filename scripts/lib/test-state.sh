# Sourced by scripts/test.sh: the state DebVisor's tests keep outside the checkout, and how to give
# a machine back the state a newcomer's has, so that a run never passes only because an earlier run
# left something behind.
#
#   state  (always removed before a run): /var/lib/debvisor-test — VM overlays, namespace nodes,
#          Molecule runs, keys; plus what a killed run left running (QEMU VMs, namespace nodes).
#   caches (removed with DEBVISOR_FRESH=1 or scripts/test.sh --fresh): /var/cache/debvisor-test —
#          the VM image, the namespace nodes' root filesystem, the Ansible toolbox, the image
#          builder's .deb cache. Tests must pass with them empty; they only save time.

DEBVISOR_TEST_STATE_DIR=${DEBVISOR_TEST_STATE:-/var/lib/debvisor-test}
DEBVISOR_TEST_CACHE_DIR=${DEBVISOR_TEST_CACHE:-/var/cache/debvisor-test}
# Namespace prefixes of the test nodes: scripts/test-nodes.sh (dvn), ProvisionNodesTest (dvt),
# bench/provision-nodes (dvb), the upgrade test's controller/src/test/scripts/upgrade-path.sh (dvu).
DEBVISOR_TEST_NS_PREFIXES="dvn dvt dvb dvu"

# Kills the processes a killed run may have left: QEMU VMs started by scripts/test-vms.sh (pid
# files under the state directory) and the sshd of every namespace node of a test prefix.
debvisor_stop_test_processes() {
  local pidfile pid ns prefix
  if [ -d "$DEBVISOR_TEST_STATE_DIR" ]; then
    while IFS= read -r pidfile; do
      pid=$(cat "$pidfile" 2>/dev/null) || continue
      [[ $pid =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null && echo "==> stopped leftover process $pid ($pidfile)"
    done < <(find "$DEBVISOR_TEST_STATE_DIR" -name pid -type f 2>/dev/null)
  fi
  for prefix in $DEBVISOR_TEST_NS_PREFIXES; do
    while IFS= read -r ns; do
      [ -n "$ns" ] || continue
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
      ip netns del "$ns" 2>/dev/null && echo "==> removed leftover network namespace $ns"
    done < <(ip netns list 2>/dev/null | awk -v p="^$prefix-node-" '$1 ~ p {print $1}')
    while IFS= read -r link; do
      ip link del "$link" 2>/dev/null || true
    done < <(ip -o link show 2>/dev/null | awk -F': ' -v p="^${prefix}h[0-9]+" '$2 ~ p {sub(/@.*/, "", $2); print $2}')
  done
}

# Unmounts everything mounted below DIR (deepest first), so removing DIR never reaches into a mount.
debvisor_unmount_below() {
  local dir=$1 mnt
  [ -d "$dir" ] || return 0
  while IFS= read -r mnt; do
    umount -l "$mnt" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r)
}

debvisor_remove_test_dir() {
  local dir=$1 what=$2
  [ -e "$dir" ] || { echo "==> $what: $dir absent (nothing to remove)"; return 0; }
  debvisor_unmount_below "$dir"
  rm -rf --one-file-system "$dir"
  echo "==> $what: removed $dir"
}

# $1: 1 to remove the caches too.
debvisor_reset_test_state() {
  local with_caches=${1:-0}
  if [ "$(id -u)" -ne 0 ]; then
    echo "==> not root: leaving $DEBVISOR_TEST_STATE_DIR as it is (the namespace and VM tests need root)"
    return 0
  fi
  debvisor_stop_test_processes
  # Nothing is mounted in the caches outside a running build; a killed build's /proc would make
  # the next one fail to clear its temporary directory.
  debvisor_unmount_below "$DEBVISOR_TEST_CACHE_DIR"
  debvisor_remove_test_dir "$DEBVISOR_TEST_STATE_DIR" "test state"
  if [ "$with_caches" = 1 ]; then
    debvisor_remove_test_dir "$DEBVISOR_TEST_CACHE_DIR" "test caches (DEBVISOR_FRESH=1)"
  else
    echo "==> test caches kept in $DEBVISOR_TEST_CACHE_DIR (an optimisation only; DEBVISOR_FRESH=1 removes them)"
  fi
}
