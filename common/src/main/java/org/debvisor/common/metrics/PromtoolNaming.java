package org.debvisor.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Map;

/**
 * Renames or drops the Micrometer binder meters that Prometheus's naming rules (as {@code promtool
 * check metrics} lints them) reject: a gauge must not end in {@code _count} (that suffix belongs to
 * histograms and summaries) and units must be base units, not abbreviations like {@code _ns}.
 */
public final class PromtoolNaming implements MeterFilter {

  /** Gauges whose Micrometer names end in {@code .count}, and the names they get instead. */
  private static final Map<String, String> RENAMED_GAUGES =
      Map.of(
          "system.cpu.count", "system.cpu.available",
          "jvm.classes.loaded.count", "jvm.classes.loaded.current");

  /**
   * Counted in nanoseconds by Micrometer; {@link ProcessMetrics} exposes the same reading in
   * seconds as the conventional {@code process_cpu_seconds_total}.
   */
  private static final String PROCESS_CPU_TIME = "process.cpu.time";

  @Override
  public MeterFilterReply accept(Meter.Id id) {
    return PROCESS_CPU_TIME.equals(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
  }

  @Override
  public Meter.Id map(Meter.Id id) {
    String renamed = RENAMED_GAUGES.get(id.getName());
    return renamed == null ? id : id.withName(renamed);
  }
}
