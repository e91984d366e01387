package org.debvisor.controller.preseed;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks a preseed file as the installer will read it: syntax the way debconf parses it, questions
 * answered twice, every known question's value against its rule (the joined value when backslashes
 * continue a line) and the password policy.
 */
public final class PreseedValidator {

  private final PreseedParser parser = new PreseedParser();
  private final DuplicateAnswers duplicates = new DuplicateAnswers();
  private final PasswordPolicy passwords;

  /**
   * @param allowPlaintextPasswords whether plain-text passwords are warnings instead of errors
   */
  public PreseedValidator(boolean allowPlaintextPasswords) {
    this.passwords = new PasswordPolicy(allowPlaintextPasswords);
  }

  /** Every finding in the text; never throws on bad input. */
  public PreseedReport validate(String text) {
    PreseedParseResult parsed = parser.parse(text);
    List<Finding> findings = new ArrayList<>(parsed.findings());
    findings.addAll(duplicates.check(parsed.answers()));
    AnswerRules rules = new AnswerRules(PartmanAnswerRules.recipeNames(parsed.lines()));
    for (ParsedAnswer at : parsed.answers()) {
      rules
          .problem(at.answer())
          .ifPresent(rule -> findings.add(Finding.error(at, explain(at, rule))));
      passwords.check(at).ifPresent(findings::add);
    }
    findings.sort(Comparator.comparingInt(Finding::line).thenComparing(Finding::severity));
    return new PreseedReport(findings, parsed.answers().size());
  }

  /** The rule with the value it was checked on, saying when backslashes joined that value. */
  private static String explain(ParsedAnswer at, String rule) {
    if (at.answer().type().equals("password")) {
      return rule;
    }
    String joined =
        at.joined()
            ? ", joined from "
                + "lines "
                + at.line()
                + "-"
                + at.lastLine()
                + " by"
                + " trailing backslashes"
            : "";
    return rule + " (value " + Quoted.of(at.answer().value()) + joined + ")";
  }
}
