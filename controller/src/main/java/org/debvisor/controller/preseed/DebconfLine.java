package org.debvisor.controller.preseed;

import java.util.Set;
import java.util.regex.Pattern;
import org.debvisor.controller.node.FieldChecks;

/**
 * One debconf answer: {@code owner question type value}. Built only from values that cannot break
 * the line: the constructor refuses anything that would.
 */
record DebconfLine(String owner, String question, String type, String value) {

  /** Types debconf-set-selections loads (plus the {@code seen} flag). */
  public static final Set<String> TYPES =
      Set.of(
          "select",
          "boolean",
          "string",
          "multiselect",
          "note",
          "password",
          "text",
          "title",
          "seen");

  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./+-]*");

  public DebconfLine {
    for (String part : new String[] {owner, question, type}) {
      if (part == null || !WORD.matcher(part).matches()) {
        throw new IllegalArgumentException("not a debconf owner/question/type: '" + part + "'");
      }
    }
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("unknown debconf type '" + type + "'");
    }
    if (value == null || FieldChecks.containsLineBreakOrControl(value) || value.endsWith("\\")) {
      throw new IllegalArgumentException(
          "debconf value of " + question + " would break its line: control character or final \\");
    }
  }

  /** A {@code d-i} answer. */
  public static DebconfLine di(String question, String type, String value) {
    return new DebconfLine("d-i", question, type, value);
  }

  /** The owner and question, which identify the answer. */
  public String key() {
    return owner + " " + question;
  }

  /** The line as written in a preseed file (no trailing space for an empty value). */
  public String render() {
    String head = owner + " " + question + " " + type;
    return value.isEmpty() ? head : head + " " + value;
  }
}
