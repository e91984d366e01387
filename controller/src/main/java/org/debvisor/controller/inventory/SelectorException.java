package org.debvisor.controller.inventory;

/** A node selector that cannot be parsed; names the offending term and the rule. */
public final class SelectorException extends Exception {

  private final String term;

  public SelectorException(String term, String message) {
    super(message);
    this.term = term;
  }

  /** The term of the selector that is wrong. */
  public String term() {
    return term;
  }
}
