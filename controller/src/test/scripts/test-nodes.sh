#!/bin/bash
# Simulated Debian 13 nodes for SSH provisioning tests: each node is an overlay of one cached
# trixie root filesystem, in its own network, mount and PID namespaces, running a real OpenSSH
# sshd with its own host key on a private /30 inside a network namespace this script created.
#
#   test-nodes.sh rootfs            build (once) the cached root filesystem and print its path
#   test-nodes.sh create N          start nodes 1..N (builds the rootfs first if needed)
#   test-nodes.sh destroy [N]       stop and delete nodes (all when N is left out)
#   test-nodes.sh list              print "index address pid" per running node
#   test-nodes.sh kill-connections I  drop every SSH connection to node I (its sshd keeps listening)
#
# Environment (defaults in brackets):
#   DEBVISOR_TEST_CACHE   [/var/cache/debvisor-test]  cached root filesystems
#   DEBVISOR_TEST_STATE   [/var/lib/debvisor-test]    nodes, client key, known_hosts, hosts file
#   DEBVISOR_TEST_PREFIX  [dvn]                       namespace/interface prefix (≤ 4 characters)
#   DEBVISOR_TEST_NET     [10.233]                    first two octets of the nodes' /30 networks
#   DEBVISOR_TEST_MIRROR  [http://deb.debian.org/debian]
#
# After "create", STATE holds: id_ed25519 (client key, 0600), known_hosts (every node's host key),
# hosts (one root@ADDRESS per line, for --hosts-file). Needs root.
set -euo pipefail

CACHE=${DEBVISOR_TEST_CACHE:-/var/cache/debvisor-test}
STATE=${DEBVISOR_TEST_STATE:-/var/lib/debvisor-test}
PREFIX=${DEBVISOR_TEST_PREFIX:-dvn}
NET=${DEBVISOR_TEST_NET:-10.233}
MIRROR=${DEBVISOR_TEST_MIRROR:-http://deb.debian.org/debian}
SUITE=trixie
# What the agent needs to run, and what the provisioner's preflight and install steps use.
BASE_PACKAGES="openssh-server,ca-certificates"
AGENT_PACKAGES="openjdk-21-jre-headless"
# The ceph profile's packages (preseed/profiles/ceph.yaml), so "--profile ceph" works on nodes
# that cannot reach a mirror (namespace nodes have no route out).
PROFILE_PACKAGES="ceph-common chrony lvm2 podman python3 sudo"
# Bump when the way the rootfs is built changes, so the cache is rebuilt.
RECIPE=4
MAX_NODES=250

die() { echo "test-nodes: error: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (namespaces, mounts, mmdebstrap); run it with sudo"
[ ${#PREFIX} -le 4 ] || die "DEBVISOR_TEST_PREFIX '$PREFIX' is longer than 4 characters (interface names)"
[[ $NET =~ ^[0-9]{1,3}\.[0-9]{1,3}$ ]] || die "DEBVISOR_TEST_NET '$NET' is not two octets like 10.233"

rootfs_key() {
  printf '%s\n' "$RECIPE" "$SUITE" "$MIRROR" "$BASE_PACKAGES" "$AGENT_PACKAGES" "$PROFILE_PACKAGES" "$(uname -m)" \
    | sha256sum | cut -c1-16
}

# Builds the root filesystem once per set of inputs (mmdebstrap: the base, the agent's runtime and the
# profile's packages in one apt run); written under a temporary name and renamed, so a cut build is
# never used.
build_rootfs() {
  local dir="$CACHE/rootfs-$(rootfs_key)"
  if [ -f "$dir/.complete" ]; then
    echo "$dir"
    return 0
  fi
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9
  if [ -f "$dir/.complete" ]; then
    echo "$dir"
    return 0
  fi
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: apt-get install mmdebstrap (scripts/test.sh does it for you)"
  local tmp="$dir.tmp.$$" started=$SECONDS stale
  # A build that was killed may have left a mount in its temporary directory.
  for stale in "$dir".tmp.*; do
    [ -e "$stale" ] || continue
    umount -l "$stale/proc" 2>/dev/null || true
    rm -rf --one-file-system "$stale"
  done
  echo "test-nodes: building the Debian $SUITE root filesystem in $dir (once; a few minutes)" >&2
  # One apt run (parallel downloads, no fsync per file, no daemon started in the chroot): the
  # base, the agent's runtime and the profile's packages.
  mmdebstrap --mode=root --variant=minbase \
    --include="$BASE_PACKAGES,$AGENT_PACKAGES,${PROFILE_PACKAGES// /,}" --dpkgopt=force-unsafe-io \
    --skip=cleanup/apt/lists \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg "$SUITE" "$tmp" "$MIRROR" >"$CACHE/build.log" 2>&1 \
    || die "mmdebstrap failed, see $CACHE/build.log"
  # Every node gets its own host keys and machine id.
  rm -f "$tmp"/etc/ssh/ssh_host_*
  : >"$tmp/etc/machine-id"
  touch "$tmp/.complete"
  mv "$tmp" "$dir"
  echo "test-nodes: root filesystem built in $((SECONDS - started)) s" >&2
  echo "$dir"
}

node_dir() { echo "$STATE/nodes/$1"; }
ns_name() { echo "$PREFIX-node-$1"; }
# Node i uses NET.(i/64).(4*(i%64))/30: .1 on the host side, .2 inside the namespace.
host_addr() { echo "$NET.$(($1 / 64)).$((4 * ($1 % 64) + 1))"; }
node_addr() { echo "$NET.$(($1 / 64)).$((4 * ($1 % 64) + 2))"; }

client_key() {
  mkdir -p "$STATE"
  chmod 700 "$STATE"
  if [ ! -f "$STATE/id_ed25519" ]; then
    ssh-keygen -q -t ed25519 -N '' -C debvisor-test-client -f "$STATE/id_ed25519"
  fi
}

node_pid() {
  local f
  f="$(node_dir "$1")/pid"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

create_node() {
  local i=$1 rootfs=$2 dir ns addr haddr root
  dir=$(node_dir "$i")
  ns=$(ns_name "$i")
  addr=$(node_addr "$i")
  haddr=$(host_addr "$i")
  if node_pid "$i" >/dev/null; then
    echo "test-nodes: node $i already runs ($addr)" >&2
    return 0
  fi
  destroy_node "$i" quiet
  mkdir -p "$dir/upper" "$dir/work" "$dir/root"
  mount -t overlay overlay -o "lowerdir=$rootfs,upperdir=$dir/upper,workdir=$dir/work" "$dir/root"
  root="$dir/root"
  echo "$PREFIX-node-$i" >"$root/etc/hostname"
  printf '127.0.0.1 localhost\n%s %s\n' "$addr" "$PREFIX-node-$i" >"$root/etc/hosts"
  # A fixed, distinct machine id per node (the agent's node id).
  printf '%s' "$PREFIX-node-$i" | sha256sum | cut -c1-32 >"$root/etc/machine-id"
  ssh-keygen -q -t ed25519 -N '' -C "$PREFIX-node-$i" -f "$root/etc/ssh/ssh_host_ed25519_key"
  mkdir -p "$root/root/.ssh"
  chmod 700 "$root/root/.ssh"
  cp "$STATE/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
  chmod 600 "$root/root/.ssh/authorized_keys"
  cat >"$root/etc/ssh/sshd_config.d/debvisor-test.conf" <<CONF
ListenAddress $addr
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
MaxStartups 100:30:200
CONF

  ip netns add "$ns"
  ip link add "${PREFIX}h$i" type veth peer name "${PREFIX}n$i"
  ip link set "${PREFIX}n$i" netns "$ns"
  ip addr add "$haddr/30" dev "${PREFIX}h$i"
  ip link set "${PREFIX}h$i" up
  ip -n "$ns" link set lo up
  ip -n "$ns" link set "${PREFIX}n$i" name eth0
  ip -n "$ns" addr add "$addr/30" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$haddr"

  # PID 1 of the node's PID namespace is sshd; when it dies, everything in the node dies.
  setsid ip netns exec "$ns" unshare --mount --uts --pid --fork --kill-child=SIGKILL \
    --mount-proc="$root/proc" /bin/sh -c '
      root=$1
      hostname "$2"
      mount -t sysfs sysfs "$root/sys"
      mount -t tmpfs -o mode=755 tmpfs "$root/dev"
      for d in null zero full random urandom tty; do
        touch "$root/dev/$d"
        mount --bind "/dev/$d" "$root/dev/$d"
      done
      mkdir -p "$root/dev/pts" "$root/dev/shm"
      mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
      ln -s pts/ptmx "$root/dev/ptmx"
      mount -t tmpfs tmpfs "$root/dev/shm"
      mount -t tmpfs -o mode=755 tmpfs "$root/run"
      mkdir -p "$root/run/sshd"
      exec chroot "$root" /usr/sbin/sshd -D -e
    ' node-init "$root" "$PREFIX-node-$i" >"$dir/sshd.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  echo "$addr" >"$dir/address"

  local line
  line="$(node_addr "$i") $(cut -d' ' -f1-2 "$root/etc/ssh/ssh_host_ed25519_key.pub")"
  echo "$line" >"$dir/known_hosts"
}

# Waits (bounded) until node i's sshd accepts TCP connections.
wait_node() {
  local i=$1 addr tries
  addr=$(node_addr "$i")
  for tries in $(seq 1 100); do
    if timeout 1 bash -c "exec 3<>/dev/tcp/$addr/22" 2>/dev/null; then
      return 0
    fi
    node_pid "$i" >/dev/null || die "node $i stopped; see $(node_dir "$i")/sshd.log"
    sleep 0.1
  done
  die "node $i ($addr) does not accept SSH connections after 10 s; see $(node_dir "$i")/sshd.log"
}

destroy_node() {
  local i=$1 dir pid ns
  dir=$(node_dir "$i")
  ns=$(ns_name "$i")
  if [ -f "$dir/pid" ]; then
    pid=$(cat "$dir/pid")
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  ip link del "${PREFIX}h$i" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  if mountpoint -q "$dir/root" 2>/dev/null; then
    umount -l "$dir/root"
  fi
  rm -rf "$dir"
  [ "${2:-}" = quiet ] || echo "test-nodes: node $i destroyed" >&2
}

write_indexes() {
  : >"$STATE/known_hosts.tmp"
  : >"$STATE/hosts.tmp"
  local d
  for d in "$STATE"/nodes/*/; do
    [ -f "$d/known_hosts" ] || continue
    cat "$d/known_hosts" >>"$STATE/known_hosts.tmp"
    echo "root@$(cat "$d/address")" >>"$STATE/hosts.tmp"
  done
  mv "$STATE/known_hosts.tmp" "$STATE/known_hosts"
  mv "$STATE/hosts.tmp" "$STATE/hosts"
}

cmd=${1:-}
case $cmd in
  rootfs)
    build_rootfs
    ;;
  create)
    n=${2:-}
    [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le $MAX_NODES ] \
      || die "create wants a node count from 1 to $MAX_NODES, got '${n}'"
    rootfs=$(build_rootfs)
    client_key
    for i in $(seq 1 "$n"); do create_node "$i" "$rootfs"; done
    for i in $(seq 1 "$n"); do wait_node "$i"; done
    write_indexes
    echo "test-nodes: $n node(s) up; hosts in $STATE/hosts, host keys in $STATE/known_hosts," \
      "client key $STATE/id_ed25519" >&2
    ;;
  destroy)
    if [ -n "${2:-}" ]; then
      [[ $2 =~ ^[0-9]+$ ]] || die "destroy wants a node count, got '$2'"
      for i in $(seq 1 "$2"); do destroy_node "$i"; done
    else
      for d in "$STATE"/nodes/*/; do
        [ -d "$d" ] || continue
        destroy_node "$(basename "$d")"
      done
    fi
    [ -d "$STATE" ] && write_indexes || true
    ;;
  list)
    for d in "$STATE"/nodes/*/; do
      [ -d "$d" ] || continue
      i=$(basename "$d")
      echo "$i $(cat "$d/address" 2>/dev/null) $(node_pid "$i" || echo stopped)"
    done
    ;;
  kill-connections)
    i=${2:-}
    pid=$(node_pid "$i") || die "node '$i' is not running"
    # unshare -> sshd (PID 1 in the node) -> one sshd per connection.
    listener=$(pgrep -P "$pid" | head -1)
    for c in $(pgrep -P "$listener" || true); do kill -KILL "$c" 2>/dev/null || true; done
    ;;
  *)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    [ -z "$cmd" ] || exit 2
    ;;
esac
