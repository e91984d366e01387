# Sourced by DebVisor scripts: the Debian packages each job needs, and an idempotent installer.

# What the demo (a micro Ceph cluster, libvirt's test driver and the agent) needs.
DEBVISOR_DEMO_PACKAGES="ceph-mon ceph-osd ceph-mgr ceph-common librados2 libvirt0 curl uuid-runtime procps"
# The native load generator of bench/rest-run and bench/grpc-run: h2load.
DEBVISOR_LOADGEN_PACKAGES="nghttp2-client"
# The headless browser of the panel test and of bench/rest-run's first-render rows.
DEBVISOR_BROWSER_PACKAGES="chromium chromium-driver"
# What bench/run needs on top of the demo: strace counts the agent's fsyncs per UpdateConfig;
# postgresql runs bench/backup-run's own PostgreSQL for its PostgreSQL rows.
DEBVISOR_BENCH_PACKAGES="$DEBVISOR_DEMO_PACKAGES strace postgresql postgresql-client $DEBVISOR_LOADGEN_PACKAGES"
# What namespace test nodes (scripts/test-nodes.sh) need: mmdebstrap for their root filesystem,
# OpenSSH, iproute2 and util-linux (unshare, nsenter) for their namespaces.
DEBVISOR_NODE_PACKAGES="mmdebstrap debian-archive-keyring openssh-server openssh-client iproute2 util-linux"
# What the Ansible role tests (scripts/molecule-lite.sh, MoleculeLiteIT) need: QEMU and qemu-img for
# the Debian 13 VMs, mmdebstrap and e2fsprogs for their cached image and for the Debian 13
# toolbox that holds ansible-core and ansible-lint (bookworm's ansible cannot manage trixie's Python).
DEBVISOR_ANSIBLE_PACKAGES="qemu-system-x86 qemu-utils mmdebstrap debian-archive-keyring e2fsprogs openssh-client iproute2 util-linux"
# What the test suite needs on top: lintian, dpkg-dev and systemd-analyze inspect the agent's .deb;
# debconf checks preseeds; xorriso, isolinux, mtools and dosfstools build ISOs; mmdebstrap and zstd
# build the installable image (`debvisor image build`); python3-jinja2 and python3-yaml render the
# Ansible role's agent.yaml template for the agent's loader; prometheus brings promtool, which checks
# the /metrics expositions, the alert rules and the dashboard's queries; postgresql brings initdb and
# pg_ctl for the inventory tests on PostgreSQL (each test JVM runs its own server, no systemd); gnupg
# and jq sign and check releases (scripts/release.sh and its tests); chromium and chromium-driver run
# the web panel's browser test (PanelBrowserTest, Selenium); the test nodes; the Ansible role tests.
DEBVISOR_TEST_PACKAGES="$DEBVISOR_DEMO_PACKAGES postgresql postgresql-client prometheus lintian dpkg-dev systemd debconf xorriso isolinux syslinux-common mtools dosfstools mmdebstrap zstd python3-jinja2 python3-yaml gnupg jq $DEBVISOR_BROWSER_PACKAGES $DEBVISOR_NODE_PACKAGES $DEBVISOR_ANSIBLE_PACKAGES"
# What the opt-in ISO boot tests (-Ddebvisor.slow=true) and the ISO benchmarks need on top: QEMU for
# amd64 (BIOS and OVMF UEFI) and arm64 (UEFI firmware from qemu-efi-aarch64), qemu-img for the disk;
# qemu-user-static, binfmt-support and arch-test let mmdebstrap build the arm64 image on amd64;
# podman loads and runs the release's OCI images (ReleaseBuildSlowTest), with runc: Debian's crun
# refuses the test machines' hybrid cgroup layout.
DEBVISOR_SLOW_TEST_PACKAGES="qemu-system-x86 qemu-system-arm qemu-utils ovmf qemu-efi-aarch64 qemu-user-static binfmt-support arch-test podman runc"

# Installs the named packages that are missing; does nothing (and needs no network) when all are there.
debvisor_install_packages() {
  local missing="" pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing="$missing $pkg"
    fi
  done
  if [ -z "$missing" ]; then
    return 0
  fi
  echo "==> installing Debian packages:$missing"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  # One index update per script run is enough (test.sh installs in two steps).
  if [ -z "${DEBVISOR_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq
    DEBVISOR_APT_UPDATED=1
  fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

# Lets this amd64 (or arm64) host run the other architecture's programs through qemu-user, as
# mmdebstrap needs for a foreign image: mounts binfmt_misc if needed and enables the handler.
debvisor_enable_foreign_arch() {
  local handler
  case "$1" in
    arm64) handler=qemu-aarch64 ;;
    amd64) handler=qemu-x86_64 ;;
    *) echo "debvisor_enable_foreign_arch: unknown architecture $1" >&2; return 1 ;;
  esac
  if [ "$1" = "$(dpkg --print-architecture)" ]; then
    return 0
  fi
  if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  fi
  update-binfmts --enable "$handler" || true
}
