package org.debvisor.agent.collect.kubernetes;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.KubernetesDetails;
import org.debvisor.proto.KubernetesNodeCondition;

/**
 * Judges a Kubernetes reading: an apiserver that is not ready or a node that is not Ready is an
 * error; a pressure condition or an unregistered node is a warning.
 */
record KubernetesHealth(HealthState state, String message) {

  private static final Set<String> PRESSURE =
      Set.of("MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable");

  static KubernetesHealth of(KubernetesDetails details) {
    String node = "node " + details.getNodeName();
    if (!details.getApiserverReady()) {
      return new KubernetesHealth(
          HealthState.HEALTH_ERROR,
          "apiserver "
              + details.getApiserverUrl()
              + " is not ready: "
              + oneLine(details.getReadyzMessage()));
    }
    if (!details.getNodeRegistered()) {
      return new KubernetesHealth(
          HealthState.HEALTH_WARN,
          node
              + " is not registered with apiserver "
              + details.getApiserverUrl()
              + counts(details));
    }
    Optional<KubernetesNodeCondition> ready =
        details.getConditionsList().stream().filter(c -> c.getType().equals("Ready")).findFirst();
    if (ready.isEmpty()) {
      return new KubernetesHealth(
          HealthState.HEALTH_ERROR, node + " reports no Ready condition" + counts(details));
    }
    if (!ready.get().getStatus().equals("True")) {
      return new KubernetesHealth(
          HealthState.HEALTH_ERROR,
          node + " is not Ready (" + explain(ready.get()) + ")" + counts(details));
    }
    List<KubernetesNodeCondition> pressures =
        details.getConditionsList().stream()
            .filter(c -> PRESSURE.contains(c.getType()) && c.getStatus().equals("True"))
            .toList();
    if (!pressures.isEmpty()) {
      String reported =
          String.join(
              "; ", pressures.stream().map(c -> c.getType() + " (" + explain(c) + ")").toList());
      return new KubernetesHealth(
          HealthState.HEALTH_WARN, node + " reports " + reported + counts(details));
    }
    return new KubernetesHealth(
        HealthState.HEALTH_OK,
        node + " Ready, kubelet " + details.getKubeletVersion() + counts(details));
  }

  private static String explain(KubernetesNodeCondition condition) {
    String text = condition.getStatus() + ", " + condition.getReason();
    if (!condition.getMessage().isBlank()) {
      text += ": " + oneLine(condition.getMessage());
    }
    return text;
  }

  private static String counts(KubernetesDetails details) {
    return "; " + details.getReadyNodeCount() + " of " + details.getNodeCount() + " nodes ready";
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\n\\s*", "; ");
  }
}
