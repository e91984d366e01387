package org.debvisor.controller.node;

import java.util.List;
import java.util.stream.Collectors;

/** An input (node.yaml, a profile, a preseed file) cannot be used; lists every problem. */
public final class InvalidInputException extends Exception {

  private final String source;
  private final List<ValidationProblem> problems;

  public InvalidInputException(String source, List<ValidationProblem> problems) {
    super(source + ":\n" + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** The file or other input the problems are in. */
  public String source() {
    return source;
  }

  /** Each offending field with its rule. */
  public List<ValidationProblem> problems() {
    return problems;
  }
}
