package org.debvisor.controller.iso;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.debvisor.common.metrics.PrometheusRegistries;
import org.debvisor.controller.buildmetrics.BuildOutcome;

/**
 * The build's metrics ({@code debvisor_build_duration_seconds{arch,os}}, {@code
 * debvisor_build_status}, {@code debvisor_build_package_count}) in a Prometheus registry.
 */
public final class BuildMetrics {

  /** The OS the ISO installs. */
  public static final String OS = "debian13";

  private final PrometheusMeterRegistry registry = PrometheusRegistries.create();
  private volatile BuildOutcome outcome;

  /**
   * Records one build.
   *
   * @param succeeded whether the ISO was written
   * @param packageCount packages the install adds (pkgsel/include) plus those on the media
   */
  public void record(String arch, double seconds, boolean succeeded, int packageCount) {
    outcome = new BuildOutcome("iso", arch, OS, seconds, succeeded, OptionalInt.of(packageCount));
    Gauge.builder("debvisor.build.duration", () -> seconds)
        .baseUnit("seconds")
        .description("Wall time of the ISO build")
        .tags("arch", arch, "os", OS)
        .register(registry);
    Gauge.builder("debvisor.build.status", () -> succeeded ? 1 : 0)
        .description("1 when the last build succeeded, 0 when it failed")
        .tags("arch", arch, "os", OS)
        .register(registry);
    Gauge.builder("debvisor.build.package.count", () -> packageCount)
        .description("Packages the preseed installs plus packages on the media")
        .tags("arch", arch, "os", OS)
        .register(registry);
  }

  /** The build recorded last, if one was. */
  public Optional<BuildOutcome> outcome() {
    return Optional.ofNullable(outcome);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  /** Writes the exposition to {@code file} (for node_exporter's textfile collector). */
  public void writeTo(Path file) throws IOException {
    Files.writeString(file, scrape(), StandardCharsets.UTF_8);
  }

  /** Counts the packages in the preseed's {@code pkgsel/include} line. */
  public static int includedPackages(String preseed) {
    return preseed
        .lines()
        .filter(l -> l.startsWith("d-i pkgsel/include string"))
        .mapToInt(
            l -> l.substring("d-i pkgsel/include string".length()).trim().split("\\s+").length)
        .sum();
  }
}
