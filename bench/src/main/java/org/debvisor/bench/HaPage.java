package org.debvisor.bench;

import java.util.List;
import java.util.Map;

/**
 * docs/ha-benchmarks.md as {@code bench/ha-run} writes it: a fixed header, then the summary (which
 * docs/benchmarks.md copies) holding one marked section per part and engine, then the authors'
 * notes. A run rewrites the sections it measured and keeps every other byte, so {@code --parts
 * register} no longer drops the heartbeat and failover figures of an earlier full run.
 */
record HaPage(String header) {

  /** The sections, in page order. */
  static final List<String> SECTIONS =
      List.of("ha-register", "ha-heartbeats-postgresql", "ha-heartbeats-sqlite", "ha-failover");

  private static final MarkedSections MARKED = new MarkedSections(SECTIONS);

  /**
   * The page after a run that measured {@code measured} (section name to Markdown), from the page
   * as it was ({@code existing}, empty when there was none).
   *
   * @throws IllegalArgumentException when the existing page's markers are broken, naming them
   */
  String write(String existing, Map<String, String> measured) {
    String summary = "";
    String notes = "\n";
    int start = existing.indexOf(OptInSection.START);
    int end = existing.indexOf(OptInSection.END);
    if (start >= 0 && end > start) {
      summary = existing.substring(start + OptInSection.START.length(), end).stripLeading();
      notes = existing.substring(end + OptInSection.END.length());
    }
    // A summary written before the markers cannot be split into its parts: replaced as a whole.
    if (!summary.contains(MarkedSections.OPEN + "ha-")) {
      summary = "";
    }
    return header
        + "\n"
        + OptInSection.START
        + "\n"
        + MARKED.update(summary, measured)
        + OptInSection.END
        + (notes.startsWith("\n") ? notes : "\n" + notes);
  }

  /** Refuses a page whose markers a hand edit broke, before a run measures for minutes. */
  void check(String existing) {
    MARKED.check(existing);
  }
}
