package org.debvisor.controller.buildmetrics;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Build metrics in a node_exporter textfile-collector file ({@code *.prom}). The file is its own
 * state: each build replaces its series (by artifact, arch and os), increments the build and
 * failure counters read from the previous file, keeps every other build's series, and swaps the new
 * file in with an atomic rename so node_exporter never reads half of it.
 */
public final class BuildTextfile {

  /** One metric family the file holds. */
  private record Family(String name, String type, String help) {}

  static final String DURATION = "debvisor_build_duration_seconds";
  static final String STATUS = "debvisor_build_status";
  static final String PACKAGES = "debvisor_build_package_count";
  static final String BUILDS = "debvisor_builds_total";
  static final String FAILURES = "debvisor_build_failures_total";

  private static final List<Family> FAMILIES =
      List.of(
          new Family(DURATION, "gauge", "Wall time of the last build."),
          new Family(STATUS, "gauge", "1 when the last build succeeded, 0 when it failed."),
          new Family(PACKAGES, "gauge", "Packages the last build's artifact installs."),
          new Family(BUILDS, "counter", "Builds run, successful or not."),
          new Family(FAILURES, "counter", "Builds that failed."));

  private static final Pattern SAMPLE =
      Pattern.compile("^(debvisor_[a-z_]+)\\{((?:[^}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*)\\} (\\S+)$");

  private final Path file;

  public BuildTextfile(Path file) {
    this.file = file;
  }

  /**
   * Records one build.
   *
   * @throws IOException when the file cannot be read or written; the message names the file
   */
  public void record(BuildOutcome build) throws IOException {
    Map<String, Map<String, Double>> samples = read();
    String labels = build.labels();
    samples.get(DURATION).put(labels, build.seconds());
    samples.get(STATUS).put(labels, build.succeeded() ? 1.0 : 0.0);
    if (build.packages().isPresent()) {
      samples.get(PACKAGES).put(labels, (double) build.packages().getAsInt());
    } else {
      samples.get(PACKAGES).remove(labels);
    }
    samples.get(BUILDS).merge(labels, 1.0, Double::sum);
    samples.get(FAILURES).merge(labels, build.succeeded() ? 0.0 : 1.0, Double::sum);
    write(render(samples));
  }

  /** The DebVisor samples of the current file by family and label set; empty without a file. */
  private Map<String, Map<String, Double>> read() throws IOException {
    Map<String, Map<String, Double>> samples = new LinkedHashMap<>();
    FAMILIES.forEach(f -> samples.put(f.name(), new TreeMap<>()));
    if (!Files.exists(file)) {
      return samples;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read the metrics textfile " + file + ": " + e.getMessage(), e);
    }
    for (String line : lines) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches() && samples.containsKey(m.group(1))) {
        try {
          samples.get(m.group(1)).put(m.group(2), Double.parseDouble(m.group(3)));
        } catch (NumberFormatException e) {
          // A damaged sample restarts that series' count; Prometheus sees a counter reset.
        }
      }
    }
    return samples;
  }

  private static String render(Map<String, Map<String, Double>> samples) {
    StringBuilder out = new StringBuilder();
    for (Family family : FAMILIES) {
      Map<String, Double> series = samples.get(family.name());
      if (series.isEmpty()) {
        continue;
      }
      out.append("# HELP ").append(family.name()).append(' ').append(family.help()).append('\n');
      out.append("# TYPE ").append(family.name()).append(' ').append(family.type()).append('\n');
      series.forEach(
          (labels, value) ->
              out.append(family.name())
                  .append('{')
                  .append(labels)
                  .append("} ")
                  .append(value)
                  .append('\n'));
    }
    return out.toString();
  }

  private void write(String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    // node_exporter reads only *.prom: the temporary name keeps it from reading a partial file.
    Path temporary = null;
    try {
      Files.createDirectories(dir);
      temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      Files.setPosixFilePermissions(
          temporary, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException("cannot write the metrics textfile " + file + ": " + e.getMessage(), e);
    } finally {
      if (temporary != null) {
        Files.deleteIfExists(temporary);
      }
    }
  }
}
