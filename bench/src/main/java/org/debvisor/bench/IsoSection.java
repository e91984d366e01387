package org.debvisor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ISO section of {@code docs/benchmarks.md}: the summary {@code bench/iso-run} (opt-in, minutes
 * of QEMU) wrote into {@code docs/iso-benchmarks.md}, copied so a fast {@code bench/run} keeps it.
 */
final class IsoSection {

  static final String START = "<!-- summary:start -->";
  static final String END = "<!-- summary:end -->";

  private IsoSection() {}

  /** The section for {@code isoBenchmarks}, or a pointer to {@code bench/iso-run} without one. */
  static String from(Path isoBenchmarks) throws IOException {
    String header =
        "\n## ISO build and install (`bench/iso-run`, opt-in)\n\n"
            + "Details and notes: [iso-benchmarks.md](iso-benchmarks.md).\n\n";
    if (!Files.isRegularFile(isoBenchmarks)) {
      return header + "Not measured yet: run `bench/iso-run` (about 15 min).\n";
    }
    String text = Files.readString(isoBenchmarks, StandardCharsets.UTF_8);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    if (start < 0 || end < start) {
      return header + "No summary in iso-benchmarks.md: run `bench/iso-run` (about 15 min).\n";
    }
    return header + text.substring(start, end + END.length()) + "\n";
  }
}
