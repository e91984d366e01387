#!/bin/bash
# A Debian 13 (trixie) root filesystem holding ansible-core and ansible-lint, so playbooks run with
# a supported combination (trixie's ansible-core 2.19 manages trixie's Python 3.13; bookworm's 2.14
# does not), without touching the host's packages.
#
#   ansible-toolbox.sh path                 build (once, cached) and print the toolbox directory
#   ansible-toolbox.sh run [-b DIR]... CMD  run CMD inside it (private mount namespace + chroot) with
#                                           the checkout and every -b DIR bind-mounted at their own
#                                           paths, /dev and /proc mounted; the working directory is kept
#   ansible-toolbox.sh versions             print the ansible-core and ansible-lint versions
#
# Environment (defaults in brackets):
#   DEBVISOR_TEST_CACHE   [/var/cache/debvisor-test]      where the toolbox is cached
#   DEBVISOR_TEST_MIRROR  [http://deb.debian.org/debian]  Debian mirror
# Needs root (mmdebstrap, mounts, chroot) and mmdebstrap (scripts/lib/packages.sh installs it).
set -euo pipefail

CACHE=${DEBVISOR_TEST_CACHE:-/var/cache/debvisor-test}
MIRROR=${DEBVISOR_TEST_MIRROR:-http://deb.debian.org/debian}
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
SUITE=trixie
PACKAGES="ansible-core,ansible-lint,openssh-client,python3-jmespath,python3-netaddr,ca-certificates"
# Bump when the way the toolbox is built changes, so the cache is rebuilt.
RECIPE=1

die() { echo "ansible-toolbox: error: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap, mount namespaces, chroot); run it with sudo"

toolbox_dir() {
  local key
  key=$(printf '%s\n' "$RECIPE" "$SUITE" "$MIRROR" "$PACKAGES" "$(uname -m)" | sha256sum | cut -c1-16)
  echo "$CACHE/ansible-toolbox-$key"
}

# Builds into a temporary directory and renames it, so an interrupted build is never used.
build() {
  local dir
  dir=$(toolbox_dir)
  [ -f "$dir/.complete" ] && { echo "$dir"; return 0; }
  mkdir -p "$CACHE"
  exec 8>"$CACHE/.ansible-toolbox.lock"
  flock -w 900 8 || die "another build of the toolbox holds $CACHE/.ansible-toolbox.lock for 15 min"
  [ -f "$dir/.complete" ] && { echo "$dir"; return 0; }
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: apt-get install mmdebstrap (scripts/test.sh installs it)"
  local tmp="$dir.tmp.$$" started=$SECONDS log="$CACHE/ansible-toolbox.log"
  rm -rf "$dir".tmp.*
  echo "ansible-toolbox: building the Debian $SUITE toolbox in $dir (once; about a minute)" >&2
  timeout 900 mmdebstrap --mode=root --variant=apt --include="$PACKAGES" \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
    --customize-hook='chroot "$1" apt-get clean' \
    "$SUITE" "$tmp" "$MIRROR" >"$log" 2>&1 \
    || { rm -rf "$tmp"; die "mmdebstrap failed, see $log"; }
  touch "$tmp/.complete"
  mv "$tmp" "$dir"
  echo "ansible-toolbox: built in $((SECONDS - started)) s" >&2
  echo "$dir"
}

# Runs a command in the toolbox. The mounts live in a private mount namespace, so they vanish
# with the command whatever way it ends.
run() {
  local binds=("$REPO")
  while [ "${1:-}" = -b ]; do
    [ -d "${2:-}" ] || die "-b wants an existing directory, got '${2:-}'"
    binds+=("$(cd "$2" && pwd)")
    shift 2
  done
  [ $# -gt 0 ] || die "run wants a command"
  local dir
  dir=$(build)
  unshare --mount --propagation private /bin/bash -c '
    set -e
    root=$1; shift
    nbinds=$1; shift
    mount --rbind /dev "$root/dev"
    mount -t proc proc "$root/proc"
    mount -t tmpfs tmpfs "$root/tmp"
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    for _ in $(seq 1 "$nbinds"); do
      mkdir -p "$root$1"
      mount --bind "$1" "$root$1"
      shift
    done
    cwd=$(pwd)
    # A clean environment, plus the ANSIBLE_*, MOLECULE_* and DEBVISOR_* settings of the caller.
    mapfile -t passed < <(env | grep -E "^(ANSIBLE|MOLECULE|DEBVISOR)_[A-Za-z0-9_]*=" || true)
    exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${passed[@]}" \
      /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
  ' toolbox "$dir" "${#binds[@]}" "${binds[@]}" "$@"
}

case ${1:-} in
  path) build ;;
  run) shift; run "$@" ;;
  versions)
    run ansible --version | head -n 1
    run ansible-lint --version | head -n 1
    ;;
  *) die "usage: ansible-toolbox.sh path | run [-b DIR]... COMMAND... | versions" ;;
esac
