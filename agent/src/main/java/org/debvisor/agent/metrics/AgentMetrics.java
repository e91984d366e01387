package org.debvisor.agent.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.debvisor.agent.report.HealthSummary;
import org.debvisor.agent.report.StatusBoard;
import org.debvisor.common.metrics.ProcessMetrics;
import org.debvisor.common.metrics.PrometheusRegistries;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;

/**
 * The agent's Prometheus registry: JVM and process metrics, plus {@code debvisor_cluster_health}
 * per subsystem read live from the {@link StatusBoard}.
 */
public final class AgentMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry = PrometheusRegistries.create();
  private final ProcessMetrics process = new ProcessMetrics(registry);

  /** The registry every component records into. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Registers {@code debvisor_cluster_health{subsystem}}: 0 OK, 1 WARN, 2 UNKNOWN, 3 ERROR, -1
   * ABSENT; {@code subsystem="node"} is the overall state.
   */
  public void watch(StatusBoard board, List<Subsystem> subsystems) {
    Gauge.builder(
            "debvisor.cluster.health", board, b -> HealthSummary.severity(b.current().getState()))
        .description("Health per subsystem: 0 OK, 1 WARN, 2 UNKNOWN, 3 ERROR, -1 ABSENT")
        .tag("subsystem", "node")
        .register(registry);
    for (Subsystem subsystem : subsystems) {
      Gauge.builder("debvisor.cluster.health", board, b -> severityOf(b, subsystem))
          .description("Health per subsystem: 0 OK, 1 WARN, 2 UNKNOWN, 3 ERROR, -1 ABSENT")
          .tag("subsystem", HealthSummary.name(subsystem))
          .register(registry);
    }
  }

  private static double severityOf(StatusBoard board, Subsystem subsystem) {
    for (SubsystemStatus s : board.current().getSubsystemsList()) {
      if (s.getSubsystem() == subsystem) {
        return HealthSummary.severity(s.getState());
      }
    }
    return HealthSummary.severity(HealthState.HEALTH_ABSENT);
  }

  /** Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    process.close();
    registry.close();
  }
}
