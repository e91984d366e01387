package org.debvisor.controller.mirror;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.debvisor.common.digest.Sha256;

/**
 * Preflight reports kept in the cache, named by what they were checked against (mirror, the
 * verified InRelease's checksum, installer build), reused while that index is fresh. A report only
 * advises (nothing is installed from it), so it is reused without a signature of its own.
 */
final class PreflightCache {

  private final ArtifactCache cache;
  private final IndexFreshness freshness;

  PreflightCache(ArtifactCache cache, IndexFreshness freshness) {
    this.cache = cache;
    this.freshness = freshness;
  }

  /** A stored report for {@code key} checked within the freshness window, if any. */
  Optional<PreflightReport> read(String key, Optional<Instant> validUntil) throws IOException {
    Path file = file(key);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String[] head = lines.isEmpty() ? new String[0] : lines.getFirst().split("\t", -1);
    if (head.length != 4 || !head[0].matches("\\d+") || !head[3].matches("\\d+")) {
      return Optional.empty();
    }
    if (!freshness.fresh(Instant.ofEpochSecond(Long.parseLong(head[0])), validUntil)) {
      return Optional.empty();
    }
    List<PreflightReport.Missing> missing = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", -1);
      if (f.length != 3) {
        return Optional.empty();
      }
      missing.add(new PreflightReport.Missing(f[0], f[1], f[2]));
    }
    return Optional.of(new PreflightReport(head[1], head[2], Integer.parseInt(head[3]), missing));
  }

  /** Stores {@code report} as checked now, replacing an older one in one rename. */
  void write(String key, PreflightReport report) throws IOException {
    StringBuilder text = new StringBuilder();
    text.append(freshness.now().getEpochSecond())
        .append('\t')
        .append(flat(report.installerVersion()))
        .append('\t')
        .append(flat(report.kernelAbi()))
        .append('\t')
        .append(report.checked())
        .append('\n');
    for (PreflightReport.Missing m : report.missing()) {
      text.append(flat(m.name()))
          .append('\t')
          .append(flat(m.url()))
          .append('\t')
          .append(flat(m.reason()))
          .append('\n');
    }
    cache.replaceSmallFile(file(key), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The key of a check: every input that changes its answer. */
  static String key(String... inputs) {
    return Sha256.hex(String.join("\n", inputs).getBytes(StandardCharsets.UTF_8));
  }

  private Path file(String key) {
    return cache.root().resolve("preflight").resolve(key + ".tsv");
  }

  private static String flat(String s) {
    return s.replace('\t', ' ').replace('\n', ' ');
  }
}
