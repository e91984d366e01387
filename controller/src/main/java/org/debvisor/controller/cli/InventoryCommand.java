package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.fleet.AnsibleInventory;
import org.debvisor.proto.NodeRecord;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code debvisor inventory --ansible --list | --host NAME}: the fleet as an Ansible dynamic
 * inventory (ansible/inventory/debvisor calls it; docs/ansible-inventory.md).
 */
@Command(
    name = "inventory",
    mixinStandardHelpOptions = true,
    description = {
      "Print the fleet as Ansible executable-inventory JSON: groups ceph, hypervisor, k8s and"
          + " cluster_<name>, host variables ansible_host and debvisor_* (revoked nodes left out).",
      "Ansible runs it through ansible/inventory/debvisor, which takes the controller, CA and"
          + " token from $DEBVISOR_CONTROLLER, $DEBVISOR_CA_FILE, $DEBVISOR_TOKEN and"
          + " $DEBVISOR_STATE_DIR."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:printed", "1:refused or unreachable", "2:invalid arguments"})
final class InventoryCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ansible",
      required = true,
      description = "Ansible's executable-inventory format (the only format so far).")
  boolean ansible;

  @ArgGroup(multiplicity = "1")
  Mode mode;

  /** Ansible calls an inventory script with exactly one of these. */
  static final class Mode {
    @Option(
        names = "--list",
        required = true,
        description = "Every group with its hosts, and all host variables under _meta.hostvars.")
    boolean list;

    @Option(
        names = "--host",
        required = true,
        paramLabel = "NAME",
        description = "One host's variables ({} for a host the inventory does not have).")
    String host;
  }

  @Mixin ControllerClientOptions client;

  private final Map<String, String> env;

  InventoryCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<NodeRecord> nodes;
    try {
      nodes =
          FleetQuery.nodes(
              client, env, "", err, DebvisorCli.EXIT_FAILURE, DebvisorCli.EXIT_FAILURE);
    } catch (FleetQuery.Failure e) {
      return e.exitCode;
    }
    AnsibleInventory inventory = AnsibleInventory.of(nodes);
    inventory.warnings().forEach(w -> err.println("warning: " + w));
    out.println(FleetQuery.json(mode.host != null ? inventory.host(mode.host) : inventory.list()));
    return 0;
  }
}
