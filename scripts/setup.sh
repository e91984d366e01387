#!/usr/bin/env bash
# One command for a newcomer: installs what DebVisor needs (Debian packages, a JDK >= 21 is
# expected under /usr/lib/jvm), builds it, and starts the demo: a micro Ceph cluster, libvirt's
# test driver and the agent on 127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/packages.sh
# shellcheck disable=SC2086
debvisor_install_packages $DEBVISOR_DEMO_PACKAGES
. scripts/lib/jdk.sh
echo "==> JDK: $JAVA_HOME"
echo "==> building (tests skipped here; scripts/test.sh runs them)"
./mvnw -B -q --no-transfer-progress -DskipTests -Dspotless.check.skip=true package
# The controller's commands, on PATH for everyone on this machine.
bindir=${DEBVISOR_BIN_DIR:-/usr/local/bin}
for cmd in debvisor debvisor-provision-node cephctl hvctl k8sctl; do
  if [ -w "$bindir" ]; then
    ln -sfn "$PWD/scripts/$cmd" "$bindir/$cmd"
  fi
done
echo "==> commands: debvisor, debvisor-provision-node, cephctl, hvctl, k8sctl (in $bindir)"
exec scripts/demo.sh start
