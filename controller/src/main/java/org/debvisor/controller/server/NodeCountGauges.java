package org.debvisor.controller.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code debvisor_node_count{cluster}}: enrolled, not revoked nodes per cluster. The controller's
 * own cluster is always shown (0 when empty); others appear with their first node and stay (at 0)
 * when their last one is revoked, so a dashboard sees the drop.
 *
 * <p>Counted from the inventory when read (a scrape), not on every enrolment: an enrolment or a
 * revocation only marks the counts stale and adds a new cluster's series, so a burst of 500
 * enrolments costs one COUNT at the next scrape instead of 500 on the RPC path. Counts older than
 * {@code maxAge} are counted again too, so nodes enrolled or revoked by the other controllers of a
 * shared PostgreSQL show within that age.
 */
final class NodeCountGauges {

  private final MeterRegistry registry;
  private final Supplier<Map<String, Long>> countActive;
  private final Consumer<Set<String>> onClusters;
  private final LongSupplier nanoTime;
  private final long maxAgeNanos;
  private final Set<String> clusters = ConcurrentHashMap.newKeySet();
  // One count at a time; scrapes that arrive meanwhile wait for it rather than count again.
  private final ReentrantLock counting = new ReentrantLock();
  private volatile boolean stale = true;
  private volatile Map<String, Long> counts = Map.of();
  private volatile long countedAt;

  /**
   * @param countActive active nodes per cluster, read from the inventory
   * @param onClusters told of every cluster that gets a series (for the per-cluster health series)
   * @param nanoTime a monotonic clock in nanoseconds (System::nanoTime), for the counts' age
   */
  NodeCountGauges(
      MeterRegistry registry,
      String defaultCluster,
      Supplier<Map<String, Long>> countActive,
      Consumer<Set<String>> onClusters,
      LongSupplier nanoTime,
      Duration maxAge) {
    this.registry = registry;
    this.countActive = countActive;
    this.onClusters = onClusters;
    this.nanoTime = nanoTime;
    this.maxAgeNanos = maxAge.toNanos();
    gauge(defaultCluster);
  }

  /**
   * A node of {@code cluster} was enrolled or revoked and that is committed: the counts are stale.
   * Cheap (no database access), called on the RPC path.
   */
  void changed(String cluster) {
    gauge(cluster);
    stale = true;
  }

  /** All active nodes, summed over the clusters (counted now if stale). */
  long total() {
    return current().values().stream().mapToLong(Long::longValue).sum();
  }

  /** The counts, counted again first when stale or older than the maximum age. */
  Map<String, Long> current() {
    if (fresh()) {
      return counts;
    }
    counting.lock();
    try {
      if (!fresh()) {
        // Cleared before counting: a change committed while the COUNT runs marks it stale again.
        stale = false;
        long at = nanoTime.getAsLong();
        Map<String, Long> active;
        try {
          active = Map.copyOf(countActive.get());
        } catch (RuntimeException e) {
          stale = true;
          throw e;
        }
        active.keySet().forEach(this::gauge);
        counts = active;
        countedAt = at;
      }
      return counts;
    } finally {
      counting.unlock();
    }
  }

  private boolean fresh() {
    return !stale && nanoTime.getAsLong() - countedAt < maxAgeNanos;
  }

  private void gauge(String cluster) {
    if (!clusters.add(cluster)) {
      return;
    }
    Gauge.builder("debvisor.node.count", () -> current().getOrDefault(cluster, 0L))
        .description("Enrolled, not revoked nodes")
        .tag("cluster", cluster)
        .register(registry);
    onClusters.accept(Set.of(cluster));
  }
}
