#!/bin/sh
# Namespace test nodes for SSH provisioning (see docs/provisioning.md):
#   sudo scripts/test-nodes.sh create 3 | list | destroy
exec "$(dirname "$0")/../controller/src/test/scripts/test-nodes.sh" "$@"
