package org.debvisor.controller.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.fleet.KubernetesRow;
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
final class K8sNodesCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin NodeQueryOptions query;

  private final Map<String, String> env;

  K8sNodesCommand(Map<String, String> env) {
    this.env = env;
  }

  private final FleetListing<KubernetesRow> listing =
      new FleetListing<>(
          Subsystem.SUBSYSTEM_KUBERNETES,
          "no node reports Kubernetes",
          KubernetesRow::from,
          r -> r.state().equals("OK") && r.ready().equals("True") && !r.stale(),
          List.of(
              "HOSTNAME", "K8S NAME", "STATE", "READY", "KUBELET", "APISERVER", "CLUSTER READY"),
          r ->
              new String[] {
                r.hostname(),
                r.nodeName().isEmpty() ? "-" : r.nodeName(),
                r.state() + (r.stale() ? ",stale" : ""),
                r.ready(),
                r.kubeletVersion().isEmpty() ? "-" : r.kubeletVersion(),
                r.apiserverReady() ? "ready" : "not ready",
                r.readyNodes() + "/" + r.nodeCount()
              });

  @Override
  public Integer call() {
    return listing.run(query, env, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
