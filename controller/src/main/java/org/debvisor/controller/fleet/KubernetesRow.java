package org.debvisor.controller.fleet;

import java.util.ArrayList;
import java.util.List;
import org.debvisor.proto.KubernetesDetails;
import org.debvisor.proto.KubernetesNodeCondition;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.Subsystem;

/** One Kubernetes node as the fleet reports it (nodes without a kubeconfig are left out). */
public record KubernetesRow(
    String hostname,
    String state,
    String nodeName,
    boolean apiserverReady,
    String ready,
    String kubeletVersion,
    int readyNodes,
    int nodeCount,
    boolean stale) {

  /** Rows for every node that reports Kubernetes, in the given order. */
  public static List<KubernetesRow> from(List<NodeRecord> nodes) {
    List<KubernetesRow> rows = new ArrayList<>();
    for (NodeRecord node : nodes) {
      var reading = Subsystems.present(node, Subsystem.SUBSYSTEM_KUBERNETES);
      if (reading.isEmpty()) {
        continue;
      }
      KubernetesDetails k = reading.get().getKubernetes();
      String ready =
          k.getConditionsList().stream()
              .filter(c -> c.getType().equals("Ready"))
              .map(KubernetesNodeCondition::getStatus)
              .findFirst()
              .orElse("Unknown");
      rows.add(
          new KubernetesRow(
              node.getHostname(),
              Subsystems.state(reading.get().getState()),
              k.getNodeName(),
              k.getApiserverReady(),
              ready,
              k.getKubeletVersion(),
              k.getReadyNodeCount(),
              k.getNodeCount(),
              node.getStale()));
    }
    return rows;
  }
}
