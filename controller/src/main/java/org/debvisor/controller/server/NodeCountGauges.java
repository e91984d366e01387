package org.debvisor.controller.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code debvisor_node_count{cluster}}: enrolled, not revoked nodes per cluster. The controller's
 * own cluster is always shown (0 when empty); others appear with their first node and stay (at 0)
 * when their last one is revoked, so a dashboard sees the drop.
 */
final class NodeCountGauges {

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  NodeCountGauges(MeterRegistry registry, String defaultCluster) {
    this.registry = registry;
    gauge(defaultCluster);
  }

  /** Sets every cluster's count; clusters missing from {@code active} drop to 0. */
  void update(Map<String, Long> active) {
    active.keySet().forEach(this::gauge);
    counts.forEach((cluster, count) -> count.set(active.getOrDefault(cluster, 0L)));
  }

  /** All active nodes, summed over the clusters. */
  long total() {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  private void gauge(String cluster) {
    counts.computeIfAbsent(
        cluster,
        name -> {
          AtomicLong count = new AtomicLong();
          Gauge.builder("debvisor.node.count", count, AtomicLong::get)
              .description("Enrolled, not revoked nodes")
              .tag("cluster", name)
              .register(registry);
          return count;
        });
  }
}
