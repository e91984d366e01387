package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.fleet.Coverage;
import org.debvisor.controller.fleet.KubernetesRow;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.Subsystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code k8sctl nodes}: the fleet's Kubernetes nodes from the agents' last reports. */
@Command(
    name = "nodes",
    mixinStandardHelpOptions = true,
    description = "Kubernetes nodes as the agents last reported them: apiserver, Ready, kubelet.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every listed node is Ready and OK",
      "1:a node is not Ready or not OK, or the controller could not be asked",
      "2:invalid arguments or selector"
    })
public final class K8sNodesCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin NodeQueryOptions query;

  private final Map<String, String> env;

  K8sNodesCommand(Map<String, String> env) {
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
              query.client,
              env,
              query.selector,
              err,
              DebvisorCli.EXIT_FAILURE,
              DebvisorCli.EXIT_INVALID);
    } catch (FleetQuery.Failure e) {
      return e.exitCode;
    }
    List<KubernetesRow> rows = KubernetesRow.from(nodes);
    boolean allOk =
        rows.stream()
            .allMatch(r -> r.state().equals("OK") && r.ready().equals("True") && !r.stale());
    if (query.output == OutputFormat.json) {
      out.println(FleetQuery.json(rows));
      return allOk ? 0 : DebvisorCli.EXIT_FAILURE;
    }
    if (rows.isEmpty()) {
      out.println(
          "no node reports Kubernetes ("
              + Coverage.describe(nodes, Subsystem.SUBSYSTEM_KUBERNETES)
              + ")");
      return 0;
    }
    List<String[]> table = new ArrayList<>();
    table.add(
        new String[] {
          "HOSTNAME", "K8S NAME", "STATE", "READY", "KUBELET", "APISERVER", "CLUSTER READY"
        });
    for (KubernetesRow r : rows) {
      table.add(
          new String[] {
            r.hostname(),
            r.nodeName().isEmpty() ? "-" : r.nodeName(),
            r.state() + (r.stale() ? ",stale" : ""),
            r.ready(),
            r.kubeletVersion().isEmpty() ? "-" : r.kubeletVersion(),
            r.apiserverReady() ? "ready" : "not ready",
            r.readyNodes() + "/" + r.nodeCount()
          });
    }
    NodeTable.print(table, out);
    return allOk ? 0 : DebvisorCli.EXIT_FAILURE;
  }
}
