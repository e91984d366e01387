package org.debvisor.controller.rollout;

/**
 * A rollout request or command the controller refuses; nothing was changed. The kind maps to a gRPC
 * status, the message says what was wrong and what to do.
 */
public final class RolloutRefusedException extends RuntimeException {

  /** Why it was refused. */
  public enum Kind {
    /** Bad input: the field names what to fix. */
    INVALID,
    /** Valid input that does not fit the current state (a running rollout, a finished one). */
    CONFLICT,
    NOT_FOUND
  }

  private final Kind kind;
  private final String field;

  private RolloutRefusedException(Kind kind, String field, String message) {
    super(message);
    this.kind = kind;
    this.field = field;
  }

  public static RolloutRefusedException invalid(String field, String message) {
    return new RolloutRefusedException(Kind.INVALID, field, field + ": " + message);
  }

  public static RolloutRefusedException conflict(String message) {
    return new RolloutRefusedException(Kind.CONFLICT, "", message);
  }

  public static RolloutRefusedException notFound(String message) {
    return new RolloutRefusedException(Kind.NOT_FOUND, "", message);
  }

  public Kind kind() {
    return kind;
  }

  /** The rule the field broke (the message without the field), for INVALID. */
  public String rule() {
    return field.isEmpty() ? getMessage() : getMessage().substring(field.length() + 2);
  }

  /** The request field at fault, for INVALID; empty otherwise. */
  public String field() {
    return field;
  }
}
