package org.debvisor.controller.iso;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.debvisor.controller.buildmetrics.BuildOutcome;

/**
 * The build's metrics ({@code debvisor_build_duration_seconds{arch,os}}, {@code
 * debvisor_build_status}, {@code debvisor_build_package_count}) in Prometheus' text format. Written
 * here rather than through a Micrometer registry: three gauges do not need one, and the registry
 * (with SLF4J and logback behind it) was a third of the classes a warm {@code iso build} loaded.
 */
public final class BuildMetrics {

  /** The OS the ISO installs. */
  public static final String OS = "debian13";

  private volatile BuildOutcome outcome;

  /**
   * Records one build.
   *
   * @param succeeded whether the ISO was written
   * @param packageCount packages the install adds (pkgsel/include) plus those on the media
   */
  public void record(String arch, double seconds, boolean succeeded, int packageCount) {
    outcome = new BuildOutcome("iso", arch, OS, seconds, succeeded, OptionalInt.of(packageCount));
  }

  /** The build recorded last, if one was. */
  public Optional<BuildOutcome> outcome() {
    return Optional.ofNullable(outcome);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    BuildOutcome last = outcome;
    if (last == null) {
      return "";
    }
    String labels = "{arch=\"" + last.arch() + "\",os=\"" + OS + "\"}";
    // Families sorted by name, as Prometheus' own writer orders them.
    return gauge(
            "debvisor_build_duration_seconds", "Wall time of the ISO build", labels, last.seconds())
        + gauge(
            "debvisor_build_package_count",
            "Packages the preseed installs plus packages on the media",
            labels,
            last.packages().orElse(0))
        + gauge(
            "debvisor_build_status",
            "1 when the last build succeeded, 0 when it failed",
            labels,
            last.succeeded() ? 1 : 0);
  }

  private static String gauge(String name, String help, String labels, double value) {
    return "# HELP "
        + name
        + " "
        + help
        + "\n# TYPE "
        + name
        + " gauge\n"
        + name
        + labels
        + " "
        + value
        + "\n";
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
