package org.debvisor.controller.node;

import java.util.List;
import java.util.stream.Collectors;
import org.debvisor.common.violation.Violation;

/** An input (node.yaml, a profile, a preseed file) cannot be used; lists every problem. */
public final class InvalidInputException extends Exception {

  private final String source;
  private final List<Violation> problems;

  public InvalidInputException(String source, List<Violation> problems) {
    super(source + ":\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** The file or other input the problems are in. */
  public String source() {
    return source;
  }

  /** Each offending field with its rule. */
  public List<Violation> problems() {
    return problems;
  }
}
