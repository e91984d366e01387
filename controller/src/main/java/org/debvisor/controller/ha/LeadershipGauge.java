package org.debvisor.controller.ha;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code debvisor_controller_leader{controller}}: 1 while this controller leads, else 0. */
public final class LeadershipGauge {

  private LeadershipGauge() {}

  public static void register(MeterRegistry registry, Leadership leadership) {
    Gauge.builder("debvisor.controller.leader", leadership, l -> l.isLeader() ? 1 : 0)
        .description("1 while this controller leads (runs the rollouts), else 0")
        .tag("controller", leadership.memberId())
        .register(registry);
  }
}
