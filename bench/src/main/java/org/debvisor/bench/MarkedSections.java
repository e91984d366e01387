package org.debvisor.bench;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Updates the parts of a Markdown page that a run measured and keeps the rest byte for byte. Each
 * measured part stands between {@code <!-- bench:NAME -->} and {@code <!-- /bench:NAME -->} on
 * lines of their own; what lies outside the markers (hand-written notes, older runs kept for
 * comparison, the opt-in scripts' sections) is the author's, so a partial run such as {@code
 * bench/run --config-only} rewrites only its own sections.
 *
 * @param order every section name the writer knows, in page order: a section the page does not have
 *     yet goes before the first later one it has
 */
record MarkedSections(List<String> order) {

  /** Where a new section goes when the page has none of the later ones: before the opt-in parts. */
  private static final Pattern OPT_IN_HEADING =
      Pattern.compile("(?m)^## .*\\(`bench/[^`]*`, opt-in\\)$");

  /** How every opening marker starts. */
  static final String OPEN = "<!-- bench:";

  static String open(String name) {
    return OPEN + name + " -->";
  }

  static String close(String name) {
    return "<!-- /bench:" + name + " -->";
  }

  /**
   * The page with each of {@code measured} (name to Markdown) between its markers: replaced where
   * the page has the markers, else inserted; every other byte as it was.
   *
   * @throws IllegalArgumentException naming the marker when a section's markers are unmatched,
   *     doubled or out of order (a hand edit that broke them), or a name is not in {@link #order}
   */
  String update(String page, Map<String, String> measured) {
    check(page);
    String text = page;
    for (Map.Entry<String, String> section : measured.entrySet()) {
      String name = section.getKey();
      if (!order.contains(name)) {
        throw new IllegalArgumentException(
            "no place for the section '" + name + "': not one of " + order);
      }
      String body = body(section.getValue());
      int start = text.indexOf(open(name));
      if (start >= 0) {
        int from = start + open(name).length() + 1;
        int to = text.indexOf(close(name), from);
        text = text.substring(0, from) + body + text.substring(to);
      } else {
        String block = open(name) + "\n" + body + close(name) + "\n";
        int at = insertionPoint(text, name);
        text =
            at < 0
                ? text + separator(text) + block
                : text.substring(0, at) + block + "\n" + text.substring(at);
      }
    }
    return text;
  }

  /**
   * Checks every section's markers, so a run can refuse a broken page before it measures for
   * minutes.
   *
   * @throws IllegalArgumentException as {@link #update}
   */
  void check(String page) {
    for (String name : order) {
      check(page, name);
    }
  }

  /** A fresh page: the title, then every measured section in order, then {@code rest}. */
  String create(String title, Map<String, String> measured, String rest) {
    return update("# " + title + "\n\n" + rest.stripLeading(), measured);
  }

  /**
   * The section's text on its own lines: without the blank lines around it, ending in a newline.
   */
  private static String body(String markdown) {
    String body = markdown.strip();
    return body.isEmpty() ? "" : body + "\n";
  }

  private int insertionPoint(String text, String name) {
    for (String later : order.subList(order.indexOf(name) + 1, order.size())) {
      int at = text.indexOf(open(later));
      if (at >= 0) {
        return at;
      }
    }
    Matcher optIn = OPT_IN_HEADING.matcher(text);
    return optIn.find() ? optIn.start() : -1;
  }

  /** What goes between the page's end and an appended section: enough for one blank line. */
  private static String separator(String text) {
    if (text.isEmpty() || text.endsWith("\n\n")) {
      return "";
    }
    return text.endsWith("\n") ? "\n" : "\n\n";
  }

  private static void check(String text, String name) {
    int opens = count(text, open(name));
    int closes = count(text, close(name));
    if (opens == 0 && closes == 0) {
      return;
    }
    int start = text.indexOf(open(name));
    int end = text.indexOf(close(name));
    if (opens != 1
        || closes != 1
        || end < start
        || !ownLine(text, start, open(name))
        || !ownLine(text, end, close(name))) {
      throw new IllegalArgumentException(
          "the page's markers of section '"
              + name
              + "' are broken ("
              + opens
              + " × "
              + open(name)
              + ", "
              + closes
              + " × "
              + close(name)
              + "): each section needs one of each, in that order, on lines of their own;"
              + " restore them (git diff docs/benchmarks.md) and run again");
    }
  }

  private static boolean ownLine(String text, int at, String marker) {
    int after = at + marker.length();
    return (at == 0 || text.charAt(at - 1) == '\n')
        && (after == text.length() || text.charAt(after) == '\n');
  }

  private static int count(String text, String marker) {
    int n = 0;
    for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
      n++;
    }
    return n;
  }
}
