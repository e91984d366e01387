package org.debvisor.agent.config;

/**
 * One broken rule of a configuration bundle.
 *
 * @param field proto-style path of the offending field, e.g. {@code bundle.files[2].path}
 * @param rule what is wrong with it, in words an operator understands
 */
public record FieldViolation(String field, String rule) {

  @Override
  public String toString() {
    return field + ": " + rule;
  }
}
