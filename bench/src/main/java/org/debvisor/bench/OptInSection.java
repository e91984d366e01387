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

  /** The controllers' scale and failover of {@code bench/ha-run}. */
  static final OptInSection HA =
      new OptInSection(
          "Controller scale and failover on PostgreSQL",
          "bench/ha-run",
          "ha-benchmarks.md",
          "15-30 min");

  /** The fleet rollout of {@code bench/rollout-run}. */
  static final OptInSection ROLLOUT =
      new OptInSection(
          "Fleet rollout to 1 000 simulated agents",
          "bench/rollout-run",
          "rollout-benchmarks.md",
          "about 3 min");

  /** The backup and restore of {@code bench/backup-run}. */
  static final OptInSection BACKUP =
      new OptInSection(
          "Backup and restore of 10 000 nodes",
          "bench/backup-run",
          "backup-benchmarks.md",
          "3-10 min");

  /** The HTTPS API's logins and node lists of {@code bench/rest-run}. */
  static final OptInSection REST =
      new OptInSection(
          "HTTPS API: login and list 1 000 nodes",
          "bench/rest-run",
          "rest-benchmarks.md",
          "2-5 min");

  /** The agent's Status under h2load and its footprint, from {@code bench/grpc-run}. */
  static final OptInSection GRPC =
      new OptInSection(
          "Agent gRPC under h2load and footprint",
          "bench/grpc-run",
          "grpc-benchmarks.md",
          "1-3 min, root");

  /** The packaged agent's hour under Status on a Debian 13 VM, from {@code bench/soak-run}. */
  static final OptInSection SOAK =
      new OptInSection(
          "Agent soak on a Debian 13 VM",
          "bench/soak-run",
          "soak-benchmarks.md",
          "--duration + about 10 min, root");

  /** The image builds of {@code bench/image-run}. */
  static final OptInSection IMAGE =
      new OptInSection(
          "Image build", "bench/image-run", "image-benchmarks.md", "about 20 min, root");

  /** The image-mode installs of {@code bench/image-iso-run}. */
  static final OptInSection IMAGE_INSTALL =
      new OptInSection(
          "Image-mode install", "bench/image-iso-run", "image-install-benchmarks.md", "10-20 min");

  /**
   * Puts this section into {@code benchmarks} (docs/benchmarks.md) at once: replaces its heading's
   * section, or goes before {@code before}'s (or at the end), so the page need not wait for
   * bench/run.
   */
  void updateIn(Path benchmarks, OptInSection before) throws IOException {
    String text = Files.readString(benchmarks, StandardCharsets.UTF_8);
    String section = from(benchmarks.toAbsolutePath().getParent());
    String heading = "\n## " + title + " (";
    int start = text.indexOf(heading);
    if (start >= 0) {
      int end = sectionEnd(text, start + heading.length());
      text = text.substring(0, start) + section + (end < 0 ? "" : text.substring(end));
    } else {
      int at = text.indexOf("\n## " + before.title + " (");
      text = at < 0 ? text + section : text.substring(0, at) + section + text.substring(at);
    }
    Files.writeString(benchmarks, text, StandardCharsets.UTF_8);
  }

  /**
   * Where the section whose heading ends before {@code from} ends: at the next heading or marked
   * section of bench/run, but past its summary, whose own "## " headings belong to it (-1: the
   * page's end).
   */
  private static int sectionEnd(String text, int from) {
    int next = nextPart(text, from);
    int summary = text.indexOf(START, from);
    if (summary >= 0 && (next < 0 || summary < next)) {
      int end = text.indexOf(END, summary);
      return end < 0 ? next : nextPart(text, end);
    }
    return next;
  }

  private static int nextPart(String text, int from) {
    int heading = text.indexOf("\n## ", from);
    int marked = text.indexOf("\n" + MarkedSections.OPEN, from);
    if (heading < 0 || marked < 0) {
      return Math.max(heading, marked);
    }
    return Math.min(heading, marked);
  }

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
