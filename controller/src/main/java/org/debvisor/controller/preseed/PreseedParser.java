package org.debvisor.controller.preseed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.node.FieldChecks;

/**
 * Reads a preseed file the way {@code debconf-set-selections} does (a line ending in {@code \}
 * continues on the next; blank and {@code #} lines are skipped; {@code owner question type value}
 * split at the first whitespace runs), but is stricter: unknown types, control characters, a
 * question answered twice and a boolean that is not {@code true}/{@code false} are problems.
 */
public final class PreseedParser {

  private static final Pattern LINE = Pattern.compile("\\s*(\\S+)\\s+(\\S+)\\s+(\\S+)(?:\\s(.*))?");

  /** Parses the text; never throws on bad input, it lists problems instead. */
  public PreseedParseResult parse(String text) {
    List<DebconfLine> lines = new ArrayList<>();
    List<Violation> problems = new ArrayList<>();
    Map<String, Integer> firstSeen = new HashMap<>();
    String[] physical = text.split("\n", -1);
    int count = text.endsWith("\n") ? physical.length - 1 : physical.length;
    int i = 0;
    while (i < count) {
      int start = i + 1;
      StringBuilder logical = new StringBuilder(physical[i]);
      i++;
      while (endsWithBackslash(logical) && i < count) {
        logical.setLength(logical.length() - 1);
        logical.append(physical[i]);
        i++;
      }
      String where = start == i ? "line " + start : "lines " + start + "-" + i;
      String line = logical.toString();
      if (line.indexOf('\r') >= 0) {
        problems.add(new Violation(where, "contains a carriage return (CRLF line ends?)"));
        line = line.replace("\r", "");
      }
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (FieldChecks.containsLineBreakOrControl(line.replace('\t', ' '))) {
        problems.add(new Violation(where, "contains a control character"));
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        problems.add(new Violation(where, "is not 'owner question type [value]': '" + line + "'"));
        continue;
      }
      String value = m.group(4) == null ? "" : m.group(4);
      DebconfLine answer;
      try {
        answer = new DebconfLine(m.group(1), m.group(2), m.group(3), value);
      } catch (IllegalArgumentException e) {
        problems.add(new Violation(where, e.getMessage()));
        continue;
      }
      if (answer.type().equals("boolean") && !value.equals("true") && !value.equals("false")) {
        problems.add(
            new Violation(where, answer.question() + " is boolean: value must be true or false"));
      }
      Integer earlier = firstSeen.putIfAbsent(answer.key(), start);
      if (earlier != null) {
        problems.add(
            new Violation(where, answer.key() + " is already answered on line " + earlier));
      }
      lines.add(answer);
    }
    return new PreseedParseResult(lines, problems);
  }

  private static boolean endsWithBackslash(StringBuilder s) {
    return !s.isEmpty() && s.charAt(s.length() - 1) == '\\';
  }
}
