package org.debvisor.controller.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Markdown file split the way the documentation test needs it: links and inline code in the
 * prose, lines of the fenced code blocks, and the anchors GitHub gives its headings.
 */
record MarkdownFile(Path path, String name, List<String> lines) {

  /** A piece of the file with the line (1-based) it starts on. */
  record Located(int line, String text) {}

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
  private static final Set<String> SHELL_FENCES = Set.of("sh", "bash", "shell", "console");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

  static MarkdownFile read(Path root, Path path) throws IOException {
    return new MarkdownFile(path, root.relativize(path).toString(), Files.readAllLines(path));
  }

  /** Link targets in the prose (not in code), as written. */
  List<Located> links() {
    List<Located> links = new ArrayList<>();
    forEachProseLine(
        (number, line) -> {
          Matcher m = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
          while (m.find()) {
            links.add(new Located(number, m.group(1)));
          }
        });
    return links;
  }

  /** Inline code spans of the prose. */
  List<Located> inlineCode() {
    List<Located> spans = new ArrayList<>();
    forEachProseLine(
        (number, line) -> {
          Matcher m = INLINE_CODE.matcher(line);
          while (m.find()) {
            spans.add(new Located(number, m.group(1)));
          }
        });
    return spans;
  }

  /**
   * Lines of the shell code blocks (fenced as sh, bash, shell or console; diagrams and output are
   * not commands), a line ending in a backslash joined with the next.
   */
  List<Located> shellLines() {
    List<Located> code = new ArrayList<>();
    boolean inBlock = false;
    boolean shell = false;
    StringBuilder pending = null;
    int pendingLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.strip().startsWith("```")) {
        inBlock = !inBlock;
        shell = inBlock && SHELL_FENCES.contains(line.strip().substring(3).strip());
        continue;
      }
      if (!shell) {
        continue;
      }
      if (pending == null) {
        pending = new StringBuilder();
        pendingLine = i + 1;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      code.add(new Located(pendingLine, pending.append(line).toString()));
      pending = null;
    }
    return code;
  }

  /** The anchors of the headings, as GitHub makes them (duplicates get -1, -2, ...). */
  Set<String> anchors() {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    forEachProseLine(
        (number, line) -> {
          Matcher m = HEADING.matcher(line);
          if (m.matches()) {
            String slug = slug(m.group(1));
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
          }
        });
    return anchors;
  }

  static String slug(String heading) {
    String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
    return text.toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
        .replace(' ', '-');
  }

  private interface LineConsumer {
    void accept(int number, String line);
  }

  private void forEachProseLine(LineConsumer consumer) {
    boolean inBlock = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.strip().startsWith("```")) {
        inBlock = !inBlock;
      } else if (!inBlock) {
        consumer.accept(i + 1, line);
      }
    }
  }
}
