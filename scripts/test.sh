#!/usr/bin/env bash
# Runs DebVisor's test suite: installs what the tests need (once), then the full Maven build
# (format check, unit and integration tests against real Ceph/libvirt, .deb + lintian, coverage).
# Extra arguments go to Maven, e.g. scripts/test.sh -pl agent -Dtest=SettingsLoaderTest
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/packages.sh
# shellcheck disable=SC2086
debvisor_install_packages $DEBVISOR_TEST_PACKAGES
case " $* " in
  *" -Ddebvisor.slow=true "*)
    # shellcheck disable=SC2086
    debvisor_install_packages $DEBVISOR_SLOW_TEST_PACKAGES
    # ImageBuildSlowTest builds an arm64 image on this host.
    debvisor_enable_foreign_arch arm64 ;;
esac
. scripts/lib/jdk.sh
echo "==> JDK: $JAVA_HOME"
exec ./mvnw -B --no-transfer-progress verify "$@"
