package org.debvisor.controller.preseed;

import org.debvisor.common.violation.Violation;

/**
 * One thing a check found in a preseed file.
 *
 * @param severity error or warning
 * @param line the first physical line (1-based) of the answer or line concerned
 * @param lastLine its last physical line; differs from {@code line} when backslashes joined lines
 * @param question the debconf question concerned, or empty for a line that is no answer
 * @param rule what is wrong and what is expected
 */
public record Finding(Severity severity, int line, int lastLine, String question, String rule) {

  public Finding {
    if (line < 1 || lastLine < line) {
      throw new IllegalArgumentException("bad line range " + line + "-" + lastLine);
    }
  }

  static Finding error(ParsedAnswer at, String rule) {
    return new Finding(Severity.ERROR, at.line(), at.lastLine(), at.answer().question(), rule);
  }

  static Finding warning(ParsedAnswer at, String rule) {
    return new Finding(Severity.WARNING, at.line(), at.lastLine(), at.answer().question(), rule);
  }

  /** {@code line 3} or {@code lines 3-5}. */
  public String location() {
    return line == lastLine ? "line " + line : "lines " + line + "-" + lastLine;
  }

  /** The finding as a violation (location as field), for callers that list violations. */
  public Violation toViolation() {
    return new Violation(location(), question.isEmpty() ? rule : question + ": " + rule);
  }

  @Override
  public String toString() {
    return toViolation().toString();
  }
}
