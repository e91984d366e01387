package org.debvisor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A section of {@code docs/benchmarks.md} measured by an opt-in script (minutes of QEMU): the
 * summary that script wrote between the markers of its own file, copied so a fast {@code bench/run}
 * keeps it.
 *
 * @param title the section's heading
 * @param script the opt-in script that measures it, like {@code bench/iso-run}
 * @param duration how long that script runs, for the hint when nothing was measured yet
 */
record OptInSection(String title, String script, String duration) {

  static final String START = "<!-- summary:start -->";
  static final String END = "<!-- summary:end -->";

  /** ISO builds and preseed installs, from {@code docs/iso-benchmarks.md}. */
  static final OptInSection ISO =
      new OptInSection("ISO build and install", "bench/iso-run", "about 15 min");

  /** Image builds and image-mode installs, from {@code docs/image-install-benchmarks.md}. */
  static final OptInSection IMAGE_INSTALL =
      new OptInSection("Image-mode install", "bench/image-iso-run", "10-20 min");

  /** The section for {@code file}, or a pointer to the script without a summary in it. */
  String from(Path file) throws IOException {
    String name = file.getFileName().toString();
    String header =
        "\n## "
            + title
            + " (`"
            + script
            + "`, opt-in)\n\n"
            + "Details and notes: ["
            + name
            + "]("
            + name
            + ").\n\n";
    if (!Files.isRegularFile(file)) {
      return header + "Not measured yet: run `" + script + "` (" + duration + ").\n";
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    if (start < 0 || end < start) {
      return header + "No summary in " + name + ": run `" + script + "` (" + duration + ").\n";
    }
    return header + text.substring(start, end + END.length()) + "\n";
  }
}
