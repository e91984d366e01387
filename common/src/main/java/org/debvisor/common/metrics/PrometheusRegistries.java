package org.debvisor.common.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Prometheus registries whose exposition passes {@code promtool check metrics}: every DebVisor
 * process (agent, controller, build commands) creates its registry here so the naming rules apply
 * everywhere.
 */
public final class PrometheusRegistries {

  private PrometheusRegistries() {}

  /** A registry with {@link PromtoolNaming} installed before any meter is bound. */
  public static PrometheusMeterRegistry create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new PromtoolNaming());
    return registry;
  }
}
