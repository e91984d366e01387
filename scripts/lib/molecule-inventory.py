#!/usr/bin/env python3
"""Reads a Molecule scenario's molecule.yml for scripts/molecule-lite.sh (which cannot run Molecule).

  molecule-inventory.py platforms MOLECULE_YML
      one "NAME MEMORY_MB" line per platform
  molecule-inventory.py inventory MOLECULE_YML VMS_FILE KEY_FILE VM_STATE_DIR
      prints the Ansible inventory Molecule would make: every platform (address and port from
      VMS_FILE, lines "NAME PORT") in its groups, with provisioner.inventory group_vars/host_vars,
      strict host-key checking against VM_STATE_DIR/NAME/known_hosts
"""
import sys

import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f) or {}
    platforms = doc.get("platforms") or []
    if not platforms:
        sys.exit(f"molecule-inventory: {path} lists no platforms")
    for p in platforms:
        if "name" not in p:
            sys.exit(f"molecule-inventory: a platform in {path} has no name")
    return doc, platforms


def platforms_cmd(path):
    _, platforms = load(path)
    for p in platforms:
        print(p["name"], int(p.get("memory", 1536)))


def inventory_cmd(path, vms_file, key_file, vm_state):
    doc, platforms = load(path)
    ports = {}
    with open(vms_file, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                name, port = line.split()
                ports[name] = int(port)
    inv_cfg = (doc.get("provisioner") or {}).get("inventory") or {}
    group_vars = inv_cfg.get("group_vars") or {}
    host_vars = inv_cfg.get("host_vars") or {}
    hosts = {}
    children = {}
    for p in platforms:
        name = p["name"]
        if name not in ports:
            sys.exit(f"molecule-inventory: no port for platform {name} in {vms_file}")
        hv = {
            "ansible_host": "127.0.0.1",
            "ansible_port": ports[name],
            "ansible_user": "root",
            "ansible_ssh_private_key_file": key_file,
            "ansible_ssh_common_args": (
                f"-o UserKnownHostsFile={vm_state}/{name}/known_hosts"
                " -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes"
            ),
        }
        hv.update(host_vars.get(name) or {})
        hosts[name] = hv
        for g in p.get("groups") or []:
            children.setdefault(g, {"hosts": {}})["hosts"][name] = None
    for g, gv in group_vars.items():
        if g != "all":
            children.setdefault(g, {"hosts": {}})["vars"] = gv
    inventory = {"all": {"hosts": hosts, "vars": group_vars.get("all") or {}, "children": children}}
    yaml.safe_dump(inventory, sys.stdout, default_flow_style=False, sort_keys=False)


def main(argv):
    if len(argv) == 3 and argv[1] == "platforms":
        platforms_cmd(argv[2])
    elif len(argv) == 6 and argv[1] == "inventory":
        inventory_cmd(*argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
