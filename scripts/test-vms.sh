#!/bin/bash
# Debian 13 (trixie) QEMU virtual machines with systemd for the Ansible/Molecule tests: one cached
# base image (mmdebstrap + kernel + systemd + OpenSSH + Python), one copy-on-write qcow2 overlay per
# VM, direct kernel boot under TCG, SSH forwarded from a loopback port. From a VM the host's
# loopback is 10.0.2.2 (QEMU user networking).
#
#   test-vms.sh image                 build (once, cached) the base image and print its directory
#   test-vms.sh start NAME [MEM_MB]   start VM NAME and wait (bounded) until SSH answers; prints
#                                     "NAME PORT" (its SSH port on 127.0.0.1)
#   test-vms.sh stop NAME             kill VM NAME and delete its overlay
#   test-vms.sh list                  print "NAME PORT PID" per running VM
#   test-vms.sh ssh NAME CMD...       run a command on VM NAME as root
#   test-vms.sh port NAME GUEST_PORT  the loopback port forwarded to GUEST_PORT (DEBVISOR_VM_HOSTFWD)
#
# Environment (defaults in brackets):
#   DEBVISOR_TEST_CACHE   [/var/cache/debvisor-test]      cached base image
#   DEBVISOR_VM_STATE     [/var/lib/debvisor-test/vms]    overlays, pids, logs, known_hosts
#   DEBVISOR_TEST_MIRROR  [http://deb.debian.org/debian]  Debian mirror (image and the VMs' apt)
#   DEBVISOR_VM_BOOT_TIMEOUT [300]                        seconds to wait for SSH
#   DEBVISOR_VM_CPU          [max]                        QEMU -cpu model of the VMs
#   DEBVISOR_VM_PREINSTALL   [0]                          1: the agent scenario's packages installed
#                                                         in the image (see PREINSTALL below)
#   DEBVISOR_VM_HOSTFWD      []                           guest TCP ports to forward too (space
#                                                         separated), each from a free loopback port;
#                                                         test-vms.sh port NAME GUEST_PORT prints it
# The base image's client key (id_ed25519, 0600) and known_hosts are next to it. Needs root.
set -euo pipefail

CACHE=${DEBVISOR_TEST_CACHE:-/var/cache/debvisor-test}
STATE=${DEBVISOR_VM_STATE:-/var/lib/debvisor-test/vms}
MIRROR=${DEBVISOR_TEST_MIRROR:-http://deb.debian.org/debian}
BOOT_TIMEOUT=${DEBVISOR_VM_BOOT_TIMEOUT:-300}
CPU_MODEL=${DEBVISOR_VM_CPU:-max}
SUITE=trixie
BASE_PACKAGES="systemd-sysv,openssh-server,python3,python3-apt,linux-image-amd64,initramfs-tools,ifupdown,isc-dhcp-client,ca-certificates,sudo,curl"
# Downloaded into the image's apt archive cache (NOT installed): the roles still install them,
# but a VM under TCG does not fetch ~500 MB each run. Same lists as the roles' defaults.
CACHED_PACKAGES="openjdk-21-jre-headless libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils dnsmasq-base ceph-mon ceph-mgr ceph-osd ceph-common containerd kmod procps"
# DEBVISOR_VM_PREINSTALL=1 (scripts/test.sh's default suite, scenario agent): these are INSTALLED in the image,
# natively in the chroot, instead: dpkg and the JRE's certificate store build run minutes under TCG,
# and the agent scenario then converges, proves
# idempotence and verifies without spending them. The roles' install tasks still run (and find the
# packages); the slow suite's scenarios use the download-only image and install everything.
PREINSTALL=${DEBVISOR_VM_PREINSTALL:-0}
PREINSTALL_PACKAGES="openjdk-21-jre-headless"
IMAGE_SIZE=8G
# Bump when the way the image is built changes, so the cache is rebuilt.
RECIPE=4

die() { echo "test-vms: error: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap, chroot); run it with sudo"

image_dir() {
  local key
  local variant=cached
  [ "$PREINSTALL" = 1 ] && variant=preinstalled
  key=$(printf '%s\n' "$RECIPE" "$SUITE" "$MIRROR" "$BASE_PACKAGES" "$CACHED_PACKAGES" "$IMAGE_SIZE" "$(uname -m)" \
    "$variant" "$PREINSTALL_PACKAGES" | sha256sum | cut -c1-16)
  echo "$CACHE/vm-$SUITE-$variant-$key"
}

# mmdebstrap, kernel, network, SSH key; written under a temporary name and renamed.
build_image() {
  local dir
  dir=$(image_dir)
  [ -f "$dir/.complete" ] && { echo "$dir"; return 0; }
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.vm-image.lock"
  flock -w 1800 9 || die "another image build holds $CACHE/.vm-image.lock for 30 min"
  [ -f "$dir/.complete" ] && { echo "$dir"; return 0; }
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (scripts/test.sh installs it)"
  command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86 is missing (scripts/test.sh installs it)"
  local tmp="$dir.tmp.$$" started=$SECONDS log="$CACHE/vm-image.log" stale
  # A build that was killed may have left its /proc mounted in its temporary directory.
  for stale in "$dir".tmp.*; do
    [ -e "$stale" ] || continue
    umount -l "$stale/root/proc" 2>/dev/null || true
    rm -rf --one-file-system "$stale"
  done
  mkdir -p "$tmp"
  local root="$tmp/root"
  echo "test-vms: building the Debian $SUITE VM image in $dir (once; a few minutes)" >&2
  local include=$BASE_PACKAGES
  if [ "$PREINSTALL" = 1 ]; then
    include="$include,${PREINSTALL_PACKAGES// /,}"
  fi
  # mmdebstrap, not debootstrap: one apt run with parallel downloads and no fsync per file (the
  # image is rebuilt from scratch when anything changes); apt's lists stay for the roles' apt tasks.
  timeout 1200 mmdebstrap --mode=root --variant=minbase --include="$include" \
    --dpkgopt=force-unsafe-io --skip=cleanup/apt/lists \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg "$SUITE" "$root" "$MIRROR" >"$log" 2>&1 \
    || die "mmdebstrap failed, see $log"
  echo "test-vms: root filesystem built after $((SECONDS - started)) s" >&2
  echo "deb $MIRROR $SUITE main" >"$root/etc/apt/sources.list"
  mount -t proc proc "$root/proc"
  trap 'umount "'"$root"'/proc" 2>/dev/null || true' EXIT
  if [ "$PREINSTALL" = 1 ]; then
    chroot "$root" apt-get clean
  else
    # shellcheck disable=SC2086
    timeout 1200 chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --download-only \
      --no-install-recommends $CACHED_PACKAGES >>"$log" 2>&1 || die "downloading the roles' packages failed, see $log"
  fi
  umount "$root/proc"
  trap - EXIT
  echo "test-vms: packages cached after $((SECONDS - started)) s" >&2
  echo debvisor-vm >"$root/etc/hostname"
  printf '127.0.0.1 localhost\n' >"$root/etc/hosts"
  printf 'auto lo\niface lo inet loopback\nauto ens3\niface ens3 inet dhcp\n' >"$root/etc/network/interfaces"
  printf '/dev/vda / ext4 defaults 0 1\n' >"$root/etc/fstab"
  : >"$root/etc/machine-id"
  # The VMs boot the kernel and initrd copied out below, never /boot: packages that trigger an
  # initramfs rebuild (minutes under TCG) skip it.
  sed -i 's/^update_initramfs=.*/update_initramfs=no/' "$root/etc/initramfs-tools/update-initramfs.conf"
  # Throw-away VMs: dpkg need not fsync (QEMU ignores flushes anyway, cache=unsafe).
  echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/debvisor-test-unsafe-io"
  # Documentation is not unpacked inside test VMs (dpkg is slow under TCG).
  printf '%s\n' 'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' \
    'path-exclude=/usr/share/locale/*' 'path-include=/usr/share/locale/locale.alias' \
    'path-exclude=/usr/share/doc/*' 'path-include=/usr/share/doc/*/copyright' \
    >"$root/etc/dpkg/dpkg.cfg.d/debvisor-test-nodoc"
  ssh-keygen -q -t ed25519 -N '' -C debvisor-test-vms -f "$tmp/id_ed25519"
  mkdir -p "$root/root/.ssh"
  chmod 700 "$root/root/.ssh"
  cp "$tmp/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
  chmod 600 "$root/root/.ssh/authorized_keys"
  printf 'PermitRootLogin prohibit-password\nPasswordAuthentication no\nUseDNS no\n' \
    >"$root/etc/ssh/sshd_config.d/debvisor-test.conf"
  cut -d' ' -f1-2 "$root/etc/ssh/ssh_host_ed25519_key.pub" >"$tmp/host_key.pub"
  chroot "$root" systemctl enable ssh >>"$log" 2>&1
  cp "$root"/boot/vmlinuz-* "$tmp/vmlinuz"
  cp "$root"/boot/initrd.img-* "$tmp/initrd.img"
  mkfs.ext4 -q -F -L debvisor -d "$root" "$tmp/base.img" "$IMAGE_SIZE" >>"$log" 2>&1 || die "mkfs.ext4 failed, see $log"
  rm -rf "$root"
  touch "$tmp/.complete"
  mv "$tmp" "$dir"
  echo "test-vms: image built in $((SECONDS - started)) s" >&2
  echo "$dir"
}

vm_dir() { echo "$STATE/$1"; }

vm_pid() {
  local f
  f="$(vm_dir "$1")/pid"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    ss -ltn "sport = :$p" | grep -q LISTEN || { echo "$p"; return 0; }
  done
  die "no free loopback port found"
}

ssh_opts() {
  local img=$1 dir=$2
  echo "-i $img/id_ed25519 -o IdentitiesOnly=yes -o UserKnownHostsFile=$dir/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5"
}

start_vm() {
  local name=$1 mem=${2:-1536} img dir port
  [[ $name =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]] || die "VM name '$name' must be lower-case letters, digits and dashes (≤ 31)"
  [[ $mem =~ ^[0-9]+$ ]] || die "memory '$mem' must be a number of MiB"
  img=$(build_image)
  dir=$(vm_dir "$name")
  if vm_pid "$name" >/dev/null; then
    die "VM $name already runs (pid $(cat "$dir/pid")); stop it first: test-vms.sh stop $name"
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  qemu-img create -q -f qcow2 -b "$img/base.img" -F raw "$dir/disk.qcow2"
  port=$(free_port)
  echo "[127.0.0.1]:$port $(cat "$img/host_key.pub")" >"$dir/known_hosts"
  # Extra forwards reach the guest's own address (10.0.2.15), not its loopback.
  local fwd="" guest host
  for guest in ${DEBVISOR_VM_HOSTFWD:-}; do
    [[ $guest =~ ^[0-9]+$ ]] && [ "$guest" -ge 1 ] && [ "$guest" -le 65535 ] \
      || die "DEBVISOR_VM_HOSTFWD: '$guest' is not a TCP port (1-65535)"
    host=$(free_port)
    fwd="$fwd,hostfwd=tcp:127.0.0.1:$host-:$guest"
    echo "$host" >"$dir/fwd-$guest"
  done
  # The overlay dies with the VM: -daemonize is not used so that the pid is QEMU's own.
  setsid qemu-system-x86_64 -accel tcg,thread=multi -cpu "$CPU_MODEL" -smp 2 -m "$mem" -nographic \
    -kernel "$img/vmlinuz" -initrd "$img/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 systemd.hostname=$name net.ifnames=1 quiet" \
    -drive "file=$dir/disk.qcow2,if=virtio,format=qcow2,cache=unsafe" \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-:22$fwd" -device virtio-net-pci,netdev=n0 \
    -serial "file:$dir/console.log" -monitor none -display none \
    </dev/null >"$dir/qemu.log" 2>&1 &
  echo $! >"$dir/pid"
  echo "$port" >"$dir/port"
  local started=$SECONDS
  # shellcheck disable=SC2046
  while ! ssh -n $(ssh_opts "$img" "$dir") -p "$port" root@127.0.0.1 true 2>/dev/null; do
    vm_pid "$name" >/dev/null || die "VM $name stopped while booting; see $dir/qemu.log and $dir/console.log"
    [ $((SECONDS - started)) -lt "$BOOT_TIMEOUT" ] \
      || { stop_vm "$name" keep-logs; die "VM $name: no SSH after $BOOT_TIMEOUT s; see $dir/console.log"; }
    sleep 2
  done
  echo "test-vms: VM $name up in $((SECONDS - started)) s (ssh -p $port root@127.0.0.1)" >&2
  echo "$name $port"
}

stop_vm() {
  local name=$1 dir pid
  dir=$(vm_dir "$name")
  if pid=$(vm_pid "$name"); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  if [ "${2:-}" = keep-logs ]; then
    rm -f "$dir/disk.qcow2"
  else
    rm -rf "$dir"
  fi
}

case ${1:-} in
  image) build_image ;;
  start) [ -n "${2:-}" ] || die "start wants a VM name"; start_vm "$2" "${3:-}" ;;
  stop) [ -n "${2:-}" ] || die "stop wants a VM name"; stop_vm "$2" ;;
  list)
    for d in "$STATE"/*/; do
      [ -f "$d/pid" ] || continue
      n=$(basename "$d")
      p=$(vm_pid "$n") && echo "$n $(cat "$d/port") $p"
    done
    ;;
  port)
    [ -n "${2:-}" ] && [ -n "${3:-}" ] || die "port wants a VM name and a guest port"
    [ -f "$(vm_dir "$2")/fwd-$3" ] || die "VM $2 forwards no port to guest port $3 (start it with DEBVISOR_VM_HOSTFWD=$3)"
    cat "$(vm_dir "$2")/fwd-$3"
    ;;
  ssh)
    [ -n "${2:-}" ] || die "ssh wants a VM name"
    name=$2; shift 2
    dir=$(vm_dir "$name")
    [ -f "$dir/port" ] || die "VM $name is not running"
    # shellcheck disable=SC2046
    img=$(image_dir)
    [ -f "$img/.complete" ] || die "no base image at $img (test-vms.sh image builds it)"
    exec ssh $(ssh_opts "$img" "$dir") -p "$(cat "$dir/port")" root@127.0.0.1 "$@"
    ;;
  *) die "usage: test-vms.sh image | start NAME [MEM_MB] | stop NAME | list | ssh NAME CMD... | port NAME GUEST_PORT" ;;
esac
