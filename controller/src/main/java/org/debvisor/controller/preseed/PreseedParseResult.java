package org.debvisor.controller.preseed;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.debvisor.controller.node.ValidationProblem;

/**
 * What {@link PreseedParser} read: the answers in file order, and the problems it found.
 *
 * @param lines every answer, continuation lines joined
 * @param problems syntax problems, each naming its line
 */
public record PreseedParseResult(List<DebconfLine> lines, List<ValidationProblem> problems) {

  public PreseedParseResult {
    lines = List.copyOf(lines);
    problems = List.copyOf(problems);
  }

  /** The distinct {@code owner question} keys, in file order. */
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    lines.forEach(l -> keys.add(l.key()));
    return keys;
  }

  /** The answer to {@code owner question}, if the file has one. */
  public Optional<DebconfLine> find(String owner, String question) {
    return lines.stream()
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
