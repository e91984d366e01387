package org.debvisor.controller.identity;

/** A refused identity change or login, naming the field and the rule it broke. */
public final class IdentityException extends RuntimeException {

  /** How the caller should read the refusal (the REST layer maps it to a status). */
  public enum Kind {
    INVALID,
    NOT_FOUND,
    CONFLICT,
    UNAUTHENTICATED,
    RATE_LIMITED
  }

  private final Kind kind;
  private final String field;
  private final String rule;

  public IdentityException(Kind kind, String field, String rule) {
    super(field + ": " + rule);
    this.kind = kind;
    this.field = field;
    this.rule = rule;
  }

  public Kind kind() {
    return kind;
  }

  public String field() {
    return field;
  }

  public String rule() {
    return rule;
  }
}
