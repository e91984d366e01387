package org.debvisor.controller.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;
import org.debvisor.controller.buildmetrics.BuildOutcome;
import org.debvisor.controller.iso.BuildMetrics;
import org.debvisor.controller.isolibrary.IsoLibrary;
import org.debvisor.controller.node.Architecture;

/**
 * The last API build per architecture, under the names {@code iso build --metrics-textfile} writes:
 * {@code debvisor_build_duration_seconds{arch,artifact,os}}, {@code debvisor_build_status} (1
 * succeeded, 0 failed) and {@code debvisor_build_package_count}; NaN until the first build of that
 * architecture.
 */
final class IsoBuildGauges {

  private IsoBuildGauges() {}

  static void register(MeterRegistry registry, IsoLibrary library) {
    for (Architecture arch : Architecture.values()) {
      gauge(
          registry,
          library,
          arch,
          "debvisor.build.duration",
          "seconds",
          "Wall time of the last ISO build",
          BuildOutcome::seconds);
      gauge(
          registry,
          library,
          arch,
          "debvisor.build.status",
          null,
          "1 when the last ISO build succeeded, 0 when it failed",
          o -> o.succeeded() ? 1 : 0);
      gauge(
          registry,
          library,
          arch,
          "debvisor.build.package.count",
          null,
          "Packages the preseed installs plus packages on the media",
          o -> o.packages().orElse(0));
    }
  }

  private static void gauge(
      MeterRegistry registry,
      IsoLibrary library,
      Architecture arch,
      String name,
      String unit,
      String help,
      ToDoubleFunction<BuildOutcome> value) {
    Gauge.builder(
            name, library, l -> l.lastBuild(arch).map(value::applyAsDouble).orElse(Double.NaN))
        .baseUnit(unit)
        .description(help)
        .tag("arch", arch.debianName())
        .tag("artifact", "iso")
        .tag("os", BuildMetrics.OS)
        .register(registry);
  }
}
