package org.debvisor.controller.preseed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Questions answered more than once. debconf silently keeps the last answer, so the same value
 * twice is harmless (a warning) while two different values mean one of them is ignored (an error
 * naming both lines). Password values are never printed.
 */
final class DuplicateAnswers {

  List<Finding> check(List<ParsedAnswer> answers) {
    List<Finding> findings = new ArrayList<>();
    Map<String, ParsedAnswer> previous = new HashMap<>();
    for (ParsedAnswer current : answers) {
      ParsedAnswer earlier = previous.put(current.answer().key(), current);
      if (earlier == null) {
        continue;
      }
      if (earlier.answer().value().equals(current.answer().value())) {
        findings.add(
            Finding.warning(
                current,
                "answered again with the same value as on line "
                    + earlier.line()
                    + "; one of the two lines can go"));
      } else {
        findings.add(
            Finding.error(
                current,
                "answered twice with different values: line "
                    + earlier.line()
                    + " says "
                    + shown(earlier.answer())
                    + ", line "
                    + current.line()
                    + " says "
                    + shown(current.answer())
                    + "; debconf would silently keep the last one, so remove the one you do not"
                    + " mean"));
      }
    }
    return findings;
  }

  private static String shown(DebconfLine answer) {
    return answer.type().equals("password") ? "(a password, not shown)" : Quoted.of(answer.value());
  }
}
