package org.debvisor.controller.preseed;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.debvisor.common.violation.Violation;

/**
 * What {@link PreseedParser} read: the answers in file order, and the syntax errors it found.
 *
 * @param answers every answer with its lines, continuation lines joined
 * @param findings syntax errors, each naming its lines
 */
public record PreseedParseResult(List<ParsedAnswer> answers, List<Finding> findings) {

  public PreseedParseResult {
    answers = List.copyOf(answers);
    findings = List.copyOf(findings);
  }

  /** Every answer, in file order. */
  public List<DebconfLine> lines() {
    return answers.stream().map(ParsedAnswer::answer).toList();
  }

  /** The syntax errors as violations, each naming its line. */
  public List<Violation> problems() {
    return findings.stream().map(Finding::toViolation).toList();
  }

  /** The distinct {@code owner question} keys, in file order. */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    answers.forEach(a -> keys.add(a.answer().key()));
    return keys;
  }

  /** The first answer to {@code owner question}, if the file has one. */
  public Optional<DebconfLine> find(String owner, String question) {
    return lines().stream()
        .filter(l -> l.owner().equals(owner) && l.question().equals(question))
        .findFirst();
  }

  /** The value of a {@code d-i} answer; fails when the file has none. */
  public String diValue(String question) {
    return find("d-i", question)
        .orElseThrow(() -> new IllegalArgumentException("no answer for d-i " + question))
        .value();
  }
}
