#!/bin/bash
# Namespace test nodes for SSH provisioning (see docs/provisioning.md):
#   sudo scripts/test-nodes.sh create 3 | list | destroy
# Installs what the nodes need (mmdebstrap, OpenSSH, iproute2) first when it is missing.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
case "${1:-}" in
  rootfs | create)
    # shellcheck source=lib/packages.sh
    . "$here/lib/packages.sh"
    # shellcheck disable=SC2086
    debvisor_install_packages $DEBVISOR_NODE_PACKAGES
    ;;
esac
exec "$here/../controller/src/test/scripts/test-nodes.sh" "$@"
