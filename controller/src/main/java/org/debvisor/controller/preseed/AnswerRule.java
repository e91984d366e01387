package org.debvisor.controller.preseed;

import java.util.Optional;
import java.util.regex.Pattern;

/** The allowed shape of one question's value: why a value is wrong, or empty when it is fine. */
@FunctionalInterface
interface AnswerRule {

  Optional<String> problem(String value);

  /** The value must match {@code pattern} completely. */
  static AnswerRule matching(Pattern pattern, String rule) {
    return value -> pattern.matcher(value).matches() ? Optional.empty() : Optional.of(rule);
  }

  /** An empty value is fine (the installer's "none"); others must pass {@code rule}. */
  static AnswerRule orEmpty(AnswerRule rule) {
    return value -> value.isEmpty() ? Optional.empty() : rule.problem(value);
  }

  /**
   * A list of items separated by spaces and/or commas, at least {@code min} and at most {@code
   * max}, each passing this rule; the message names the first bad item.
   */
  default AnswerRule eachOf(int min, int max) {
    return value -> {
      String[] items = value.isBlank() ? new String[0] : value.strip().split("[\\s,]+");
      if (items.length < min || items.length > max) {
        return Optional.of(
            "must list "
                + (min == max ? min : min + " to " + max)
                + " item(s) separated by spaces or commas");
      }
      for (String item : items) {
        Optional<String> problem = problem(item);
        if (problem.isPresent()) {
          return Optional.of("item " + Quoted.of(item) + " " + problem.get());
        }
      }
      return Optional.empty();
    };
  }
}
