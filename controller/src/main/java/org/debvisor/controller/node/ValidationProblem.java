package org.debvisor.controller.node;

/**
 * One thing wrong with an input.
 *
 * @param field path of the value, e.g. {@code network.nameservers[1]} or {@code line 12}
 * @param rule what is wrong and what is expected
 */
public record ValidationProblem(String field, String rule) {
  @Override
  public String toString() {
    return field + ": " + rule;
  }
}
