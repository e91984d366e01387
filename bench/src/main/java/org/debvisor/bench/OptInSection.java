package org.debvisor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A section of {@code docs/benchmarks.md} measured by an opt-in script (minutes of QEMU or image
 * builds) that writes its own page: the summary between the page's markers, copied so a fast {@code
 * bench/run} keeps it.
 *
 * @param title the section heading
 * @param script the opt-in script, like {@code bench/iso-run}
 * @param page the page the script writes, like {@code iso-benchmarks.md}
 * @param duration how long the script takes, for the hint when nothing is measured yet
 */
record OptInSection(String title, String script, String page, String duration) {

  static final String START = "<!-- summary:start -->";
  static final String END = "<!-- summary:end -->";

  /** The ISO builds and boots of {@code bench/iso-run}. */
  static final OptInSection ISO =
      new OptInSection(
          "ISO build and install", "bench/iso-run", "iso-benchmarks.md", "about 15 min");

  /** The fleet rollout of {@code bench/rollout-run}. */
  static final OptInSection ROLLOUT =
      new OptInSection(
          "Fleet rollout to 1 000 simulated agents",
          "bench/rollout-run",
          "rollout-benchmarks.md",
          "about 3 min");

  /** The image builds of {@code bench/image-run}. */
  static final OptInSection IMAGE =
      new OptInSection(
          "Image build", "bench/image-run", "image-benchmarks.md", "about 20 min, root");

  /** The image-mode installs of {@code bench/image-iso-run}. */
  static final OptInSection IMAGE_INSTALL =
      new OptInSection(
          "Image-mode install", "bench/image-iso-run", "image-install-benchmarks.md", "10-20 min");

  /** The section, read from {@code page} in {@code docsDir}, or how to measure it without one. */
  String from(Path docsDir) throws IOException {
    String header =
        "\n## "
            + title
            + " (`"
            + script
            + "`, opt-in)\n\n"
            + "Details and notes: ["
            + page
            + "]("
            + page
            + ").\n\n";
    Path file = docsDir.resolve(page);
    if (!Files.isRegularFile(file)) {
      return header + "Not measured yet: run `" + script + "` (" + duration + ").\n";
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    if (start < 0 || end < start) {
      return header + "No summary in " + page + ": run `" + script + "` (" + duration + ").\n";
    }
    return header + text.substring(start, end + END.length()) + "\n";
  }
}
