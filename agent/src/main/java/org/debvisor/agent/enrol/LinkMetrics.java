package org.debvisor.agent.enrol;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/** What {@link ControllerLink} reports to Prometheus about the node's link to its controller. */
final class LinkMetrics {

  final AtomicInteger reachable = new AtomicInteger();
  final AtomicInteger enrolled = new AtomicInteger();
  final Counter heartbeats;
  final Counter heartbeatFailures;
  final Counter enrolmentFailures;
  final Counter renewals;
  // Gauges hold their object weakly: keep the supplier reachable as long as the link.
  private final DoubleSupplier notAfterSeconds;

  /**
   * @param notAfterSeconds expiry of the current node certificate in epoch seconds, 0 without one
   */
  LinkMetrics(MeterRegistry registry, DoubleSupplier notAfterSeconds) {
    this.notAfterSeconds = notAfterSeconds;
    Gauge.builder("debvisor.agent.controller.reachable", reachable, AtomicInteger::get)
        .description("1 when the last call to the controller succeeded, else 0")
        .register(registry);
    Gauge.builder("debvisor.agent.enrolled", enrolled, AtomicInteger::get)
        .description("1 when this node holds a valid certificate from the controller")
        .register(registry);
    Gauge.builder(
            "debvisor.agent.certificate.not.after", notAfterSeconds, DoubleSupplier::getAsDouble)
        .description("Expiry of the node certificate, seconds since the epoch (0: none)")
        .baseUnit("seconds")
        .register(registry);
    this.heartbeats =
        Counter.builder("debvisor.agent.heartbeats")
            .description("Heartbeats the controller accepted")
            .register(registry);
    this.heartbeatFailures =
        Counter.builder("debvisor.agent.heartbeat.failures")
            .description("Heartbeats that failed (controller down or refusing)")
            .register(registry);
    this.enrolmentFailures =
        Counter.builder("debvisor.agent.enrolment.failures")
            .description("RegisterNode attempts that failed")
            .register(registry);
    this.renewals =
        Counter.builder("debvisor.agent.certificate.renewals")
            .description("Certificates renewed")
            .register(registry);
  }
}
