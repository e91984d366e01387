package org.debvisor.controller.ha;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;

/**
 * The leader lease as this controller last read it (controllers sharing PostgreSQL), so an operator
 * can alert on a stuck lease: {@code debvisor_controller_lease_age_seconds{controller}} (since its
 * holder last renewed it, growing while this controller cannot read it), {@code
 * debvisor_controller_lease_token{controller}} (the fencing token, one more at every change of
 * leader) and {@code debvisor_controller_lease_period_seconds{controller}}. NaN before the first
 * read.
 */
public final class LeaseGauges {

  private LeaseGauges() {}

  /**
   * @param nanoTime this controller's monotonic clock (System::nanoTime), as the lease uses
   */
  public static void register(MeterRegistry registry, LeaderLease lease, LongSupplier nanoTime) {
    Gauge.builder(
            "debvisor.controller.lease.age",
            lease,
            l -> l.seen().map(s -> s.ageSeconds(nanoTime.getAsLong())).orElse(Double.NaN))
        .description(
            "Seconds since the leader last renewed its lease, as this controller last read it")
        .baseUnit("seconds")
        .tag("controller", lease.memberId())
        .register(registry);
    Gauge.builder(
            "debvisor.controller.lease.token",
            lease,
            l -> l.seen().map(s -> (double) s.token()).orElse(Double.NaN))
        .description("Fencing token of the leader lease as last read (one more per new leader)")
        .tag("controller", lease.memberId())
        .register(registry);
    Gauge.builder("debvisor.controller.lease.period", lease, l -> l.period().toMillis() / 1e3)
        .description("How long the leader lease holds unless renewed")
        .baseUnit("seconds")
        .tag("controller", lease.memberId())
        .register(registry);
  }
}
