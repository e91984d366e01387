package org.debvisor.controller.node;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.debvisor.common.violation.Violation;

/** Collects the problems of one validation run; each check names its field and rule. */
public final class FieldChecks {

  static final int MAX_LENGTH = 1024;

  private final List<Violation> problems = new ArrayList<>();

  void add(String field, String rule) {
    problems.add(new Violation(field, rule));
  }

  List<Violation> problems() {
    return List.copyOf(problems);
  }

  /** Records "is required" and returns false when the value is missing. */
  boolean present(String field, Object value) {
    if (value == null) {
      add(field, "is required");
      return false;
    }
    return true;
  }

  /** Records "must not be set" unless the value is missing or empty. */
  void absent(String field, Object value, String because) {
    if (value != null && !(value instanceof List<?> l && l.isEmpty())) {
      add(field, "must not be set " + because);
    }
  }

  /**
   * Checks a string value that may reach the preseed or a shell: no control or line-breaking
   * characters, no surrounding spaces, a sane length, then the field's own pattern. Missing values
   * pass (use {@link #present} for required ones). Returns whether the value is present and valid.
   */
  boolean text(String field, String value, Pattern pattern, String rule) {
    if (value == null) {
      return false;
    }
    if (!safeCharacters(field, value)) {
      return false;
    }
    if (!pattern.matcher(value).matches()) {
      add(field, rule);
      return false;
    }
    return true;
  }

  /** The checks every string gets; returns whether the value passed them. */
  boolean safeCharacters(String field, String value) {
    if (containsLineBreakOrControl(value)) {
      add(
          field,
          "must not contain control characters (newline, carriage return, NUL, tab, ...): they"
              + " could start another debconf line or command");
      return false;
    }
    if (value.isEmpty()) {
      add(field, "must not be empty");
      return false;
    }
    if (value.length() > MAX_LENGTH) {
      add(field, "is longer than " + MAX_LENGTH + " characters");
      return false;
    }
    if (!value.strip().equals(value)) {
      add(field, "must not start or end with spaces");
      return false;
    }
    return true;
  }

  /** Control characters, including Unicode line and paragraph separators. */
  public static boolean containsLineBreakOrControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      int type = Character.getType(c);
      if (Character.isISOControl(c)
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR
          || type == Character.FORMAT
          || type == Character.SURROGATE
          || type == Character.UNASSIGNED
          || type == Character.PRIVATE_USE) {
        return true;
      }
    }
    return false;
  }
}
