package org.debvisor.agent.collect.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.debvisor.agent.collect.Collector;
import org.debvisor.agentapi.KubernetesSettings;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.KubernetesDetails;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;

/**
 * Reports this node as the Kubernetes apiserver sees it: /readyz, this node's conditions, and how
 * many nodes of the cluster are Ready. The kubeconfig is read again on every collection so that
 * rotated kubelet certificates are picked up.
 */
public final class KubernetesCollector implements Collector {

  private final KubernetesSettings settings;
  private final String nodeName;
  private final KubeconfigReader kubeconfigReader = new KubeconfigReader();

  /**
   * @param defaultNodeName this node's hostname, used when the settings name no node
   */
  public KubernetesCollector(KubernetesSettings settings, String defaultNodeName) {
    this.settings = settings;
    // kubelet registers the lower-cased hostname unless told otherwise
    this.nodeName =
        settings.nodeName().isEmpty()
            ? defaultNodeName.strip().toLowerCase(Locale.ROOT)
            : settings.nodeName();
  }

  @Override
  public Subsystem subsystem() {
    return Subsystem.SUBSYSTEM_KUBERNETES;
  }

  @Override
  public Duration interval() {
    return settings.interval();
  }

  @Override
  public Duration timeout() {
    return settings.timeout();
  }

  /** The node name this collector asks the apiserver about. */
  public String nodeName() {
    return nodeName;
  }

  @Override
  public SubsystemStatus collect() throws KubeconfigException, ApiServerException {
    if (!settings.enabled()) {
      return absent("Kubernetes collector disabled in the agent settings");
    }
    if (!Files.exists(settings.kubeconfig())) {
      return absent(
          "no kubeconfig at " + settings.kubeconfig() + " — Kubernetes not installed on this node");
    }
    Deadline deadline = Deadline.within(settings.timeout());
    Kubeconfig config = kubeconfigReader.read(settings.kubeconfig());
    KubernetesDetails details;
    try (ApiServerClient client = new ApiServerClient(config, settings.timeout())) {
      details = read(config, client, deadline);
    }
    KubernetesHealth health = KubernetesHealth.of(details);
    return SubsystemStatus.newBuilder()
        .setSubsystem(Subsystem.SUBSYSTEM_KUBERNETES)
        .setState(health.state())
        .setMessage(health.message())
        .setKubernetes(details)
        .build();
  }

  private KubernetesDetails read(Kubeconfig config, ApiServerClient client, Deadline deadline)
      throws ApiServerException {
    KubernetesDetails.Builder details =
        KubernetesDetails.newBuilder()
            .setApiserverUrl(config.cluster().server().toString())
            .setNodeName(nodeName);
    ApiServerClient.Readyz readyz = client.readyz(deadline);
    details.setApiserverReady(readyz.ready()).setReadyzMessage(readyz.message());
    if (!readyz.ready()) {
      return details.build(); // its other answers would not be trustworthy
    }
    Optional<JsonNode> node = client.node(nodeName, deadline);
    details.setNodeRegistered(node.isPresent());
    node.ifPresent(
        n ->
            details
                .addAllConditions(NodeReading.conditions(n))
                .setKubeletVersion(NodeReading.kubeletVersion(n)));
    ApiServerClient.NodeCounts counts = client.nodeCounts(deadline);
    details.setNodeCount(counts.total()).setReadyNodeCount(counts.ready());
    return details.build();
  }

  private static SubsystemStatus absent(String reason) {
    return SubsystemStatus.newBuilder()
        .setSubsystem(Subsystem.SUBSYSTEM_KUBERNETES)
        .setState(HealthState.HEALTH_ABSENT)
        .setMessage(reason)
        .build();
  }
}
