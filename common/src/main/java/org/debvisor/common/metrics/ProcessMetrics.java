package org.debvisor.common.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The JVM and process meters every DebVisor daemon exposes (memory, threads, GC, CPU, uptime), plus
 * {@code process_cpu_seconds_total} in the unit Prometheus expects.
 */
public final class ProcessMetrics implements AutoCloseable {

  private final JvmGcMetrics gc = new JvmGcMetrics();
  // Function counters hold their object weakly: keep the bean reachable as long as the meters.
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

  /** Binds every meter to {@code registry}. */
  public ProcessMetrics(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      FunctionCounter.builder("process.cpu", sun, ProcessMetrics::cpuSeconds)
          .baseUnit("seconds")
          .description("CPU time used by this process")
          .register(registry);
    }
  }

  private static double cpuSeconds(com.sun.management.OperatingSystemMXBean bean) {
    long nanos = bean.getProcessCpuTime();
    // -1 when the platform cannot tell; a counter must not go negative.
    return nanos < 0 ? 0 : nanos / 1e9;
  }

  @Override
  public void close() {
    gc.close();
  }
}
