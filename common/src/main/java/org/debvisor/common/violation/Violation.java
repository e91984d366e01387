package org.debvisor.common.violation;

import java.util.List;

/**
 * One broken rule of an input: a request, a bundle, a YAML file.
 *
 * @param field path of the offending value, e.g. {@code bundle.files[2].path} or {@code line 12}
 * @param rule what is wrong with it and what is expected, in words an operator understands
 */
public record Violation(String field, String rule) {

  /** {@code field: rule; field: rule}, the form every error message lists violations in. */
  public static String summary(List<Violation> violations) {
    return String.join("; ", violations.stream().map(Violation::toString).toList());
  }

  @Override
  public String toString() {
    return field + ": " + rule;
  }
}
