package org.debvisor.controller.preseed;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.controller.node.FieldChecks;

/**
 * Reads a preseed file the way {@code debconf-set-selections} does (a line ending in {@code \}
 * continues on the next, the backslash dropped and the next line appended as it is; blank and
 * {@code #} lines are skipped; {@code owner question type value} split at the first whitespace
 * runs), but is stricter: unknown types, control characters, carriage returns, a boolean that is
 * not {@code true}/{@code false} and a backslash that pulls the next answer into a value or a
 * comment are errors. Answering a question twice is {@link DuplicateAnswers}' business.
 */
public final class PreseedParser {

  private static final Pattern LINE = Pattern.compile("\\s*(\\S+)\\s+(\\S+)\\s+(\\S+)(?:\\s(.*))?");

  /** A physical line that reads like an answer of its own: owner, question with a /, type. */
  private static final Pattern LOOKS_LIKE_ANSWER =
      Pattern.compile(
          "\\s*[A-Za-z0-9][A-Za-z0-9_.+-]*\\s+[A-Za-z0-9][A-Za-z0-9_.+-]*/\\S*\\s+"
              + "(select|boolean|string|multiselect|note|password|text|title)(\\s.*)?");

  /** Parses the text; never throws on bad input, it lists findings instead. */
  public PreseedParseResult parse(String text) {
    List<ParsedAnswer> answers = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    String[] physical = text.split("\n", -1);
    int count = text.endsWith("\n") ? physical.length - 1 : physical.length;
    int i = 0;
    while (i < count) {
      int start = i + 1;
      // Like debconf, a final carriage return is dropped before looking for the backslash.
      boolean carriageReturn = physical[i].endsWith("\r");
      StringBuilder logical = new StringBuilder(withoutFinalReturn(physical[i]));
      List<Integer> swallowed = new ArrayList<>();
      i++;
      while (endsWithBackslash(logical) && i < count) {
        logical.setLength(logical.length() - 1);
        carriageReturn |= physical[i].endsWith("\r");
        logical.append(withoutFinalReturn(physical[i]));
        if (LOOKS_LIKE_ANSWER.matcher(physical[i]).matches()) {
          swallowed.add(i + 1);
        }
        i++;
      }
      int end = i;
      String line = logical.toString();
      if (carriageReturn) {
        findings.add(syntax(start, end, "contains a carriage return (CRLF line ends?)"));
      }
      if (line.isBlank()) {
        continue;
      }
      if (line.stripLeading().startsWith("#")) {
        for (int n : swallowed) {
          findings.add(
              syntax(
                  n,
                  n,
                  "reads like an answer but is part of the comment above it: the comment line"
                      + " before it ends in a backslash, so debconf ignores this answer; remove"
                      + " that backslash"));
        }
        continue;
      }
      for (int n : swallowed) {
        findings.add(
            syntax(
                n,
                n,
                "reads like an answer of its own, but the backslash ending line "
                    + (n - 1)
                    + " makes debconf append it to the value begun on line "
                    + start
                    + "; remove that backslash"));
      }
      if (FieldChecks.containsLineBreakOrControl(line.replace('\t', ' '))) {
        findings.add(syntax(start, end, "contains a control character"));
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        findings.add(syntax(start, end, "is not 'owner question type [value]': '" + line + "'"));
        continue;
      }
      String value = m.group(4) == null ? "" : m.group(4);
      DebconfLine answer;
      try {
        answer = new DebconfLine(m.group(1), m.group(2), m.group(3), value);
      } catch (IllegalArgumentException e) {
        findings.add(syntax(start, end, e.getMessage()));
        continue;
      }
      ParsedAnswer parsed = new ParsedAnswer(answer, start, end);
      if (answer.type().equals("boolean") && !value.equals("true") && !value.equals("false")) {
        findings.add(Finding.error(parsed, "is boolean: value must be true or false"));
      }
      answers.add(parsed);
    }
    return new PreseedParseResult(answers, findings);
  }

  private static Finding syntax(int line, int lastLine, String rule) {
    return new Finding(Severity.ERROR, line, lastLine, "", rule);
  }

  private static String withoutFinalReturn(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private static boolean endsWithBackslash(StringBuilder s) {
    return !s.isEmpty() && s.charAt(s.length() - 1) == '\\';
  }
}
