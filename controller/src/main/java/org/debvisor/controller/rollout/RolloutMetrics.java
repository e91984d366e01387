package org.debvisor.controller.rollout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The deployment metrics of the operations matrix, with {@code environment} = the controller's
 * cluster: {@code debvisor_deployment_duration_seconds{result}}, {@code
 * debvisor_deployment_status{state}} (1 for the state of the newest rollout, 0 for the others),
 * {@code debvisor_deployment_rollback_total}; and per unfinished rollout {@code
 * debvisor_rollout_nodes{rollout,state}} and {@code debvisor_rollout_wave{rollout}}.
 */
final class RolloutMetrics {

  private final MeterRegistry registry;
  private final String environment;
  private final Counter rollbacks;
  private final MultiGauge status;
  private final MultiGauge nodes;
  private final MultiGauge waves;

  RolloutMetrics(MeterRegistry registry, String environment) {
    this.registry = registry;
    this.environment = environment;
    this.rollbacks =
        Counter.builder("debvisor.deployment.rollback")
            .description("Rollouts that rolled back (automatically or on request)")
            .tag("environment", environment)
            .register(registry);
    this.status =
        MultiGauge.builder("debvisor.deployment.status")
            .description("1 for the state of the newest rollout, 0 for the other states")
            .register(registry);
    this.nodes =
        MultiGauge.builder("debvisor.rollout.nodes")
            .description("Nodes of each unfinished rollout by their state in it")
            .register(registry);
    this.waves =
        MultiGauge.builder("debvisor.rollout.wave")
            .description("Current wave of each unfinished rollout (0 = canary)")
            .register(registry);
    newest(null);
  }

  /** A rollout reached a terminal state. */
  void finished(Rollout rollout) {
    Duration took =
        Duration.between(
            rollout.createdAt(),
            rollout.finishedAt() == null ? rollout.updatedAt() : rollout.finishedAt());
    Timer.builder("debvisor.deployment.duration")
        .description("Time from creating a rollout to its end")
        .tags("environment", environment, "result", rollout.state().name())
        .register(registry)
        .record(took);
    if (rollout.state() == RolloutState.ROLLED_BACK) {
      rollbacks.increment();
    }
  }

  /** The newest rollout's state (null when there is none yet). */
  void newest(RolloutState state) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (RolloutState s : RolloutState.values()) {
      rows.add(
          MultiGauge.Row.of(
              Tags.of("environment", environment, "state", s.name()), s == state ? 1 : 0));
    }
    status.register(rows, true);
  }

  /** Progress of the unfinished rollouts; finished ones drop out. */
  void progress(Map<Rollout, Map<NodeRolloutState, Integer>> unfinished) {
    List<MultiGauge.Row<?>> nodeRows = new ArrayList<>();
    List<MultiGauge.Row<?>> waveRows = new ArrayList<>();
    unfinished.forEach(
        (rollout, counts) -> {
          for (NodeRolloutState s : NodeRolloutState.values()) {
            nodeRows.add(
                MultiGauge.Row.of(
                    Tags.of("environment", environment, "rollout", rollout.id(), "state", s.name()),
                    counts.getOrDefault(s, 0)));
          }
          waveRows.add(
              MultiGauge.Row.of(
                  Tags.of("environment", environment, "rollout", rollout.id()),
                  rollout.currentWave()));
        });
    nodes.register(nodeRows, true);
    waves.register(waveRows, true);
  }
}
