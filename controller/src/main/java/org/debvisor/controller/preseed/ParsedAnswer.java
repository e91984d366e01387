package org.debvisor.controller.preseed;

/**
 * An answer as read from a file, with the physical lines it came from.
 *
 * @param answer the answer, continuation lines joined
 * @param line its first physical line (1-based)
 * @param lastLine its last physical line
 */
record ParsedAnswer(DebconfLine answer, int line, int lastLine) {

  /** Whether trailing backslashes joined more than one physical line into this answer. */
  public boolean joined() {
    return lastLine > line;
  }
}
