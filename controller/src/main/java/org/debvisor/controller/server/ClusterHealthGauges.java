package org.debvisor.controller.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.debvisor.proto.NodeRecord;

/**
 * The fleet's health per cluster as Prometheus state sets: {@code
 * debvisor_cluster_health{cluster,status}} is 1 for the cluster's current status and 0 for the
 * others, and {@code debvisor_nodes_stale{cluster}} counts nodes whose heartbeats are overdue. Read
 * from the inventory at scrape time, so staleness shows without any event.
 */
final class ClusterHealthGauges {

  private final MeterRegistry registry;
  private final Function<String, List<NodeRecord>> activeNodes;
  private final Set<String> tracked = ConcurrentHashMap.newKeySet();

  /**
   * @param activeNodes the active (not revoked) nodes of a cluster, read when scraped
   */
  ClusterHealthGauges(
      MeterRegistry registry,
      String defaultCluster,
      Function<String, List<NodeRecord>> activeNodes) {
    this.registry = registry;
    this.activeNodes = activeNodes;
    track(Set.of(defaultCluster));
  }

  /** Adds series for clusters not seen before; a cluster keeps its series once it had nodes. */
  void track(Set<String> clusters) {
    for (String cluster : clusters) {
      if (tracked.add(cluster)) {
        register(cluster);
      }
    }
  }

  private void register(String cluster) {
    for (String status : ClusterHealth.STATUSES) {
      Gauge.builder(
              "debvisor.cluster.health", () -> current(cluster).status().equals(status) ? 1 : 0)
          .description("1 for the cluster's current status (worst of its active nodes), else 0")
          .tags("cluster", cluster, "status", status)
          .register(registry);
    }
    Gauge.builder("debvisor.nodes.stale", () -> current(cluster).staleNodes())
        .description("Active nodes whose heartbeats are more than 3 intervals overdue")
        .tag("cluster", cluster)
        .register(registry);
  }

  private ClusterHealth current(String cluster) {
    return ClusterHealth.of(activeNodes.apply(cluster));
  }
}
