package org.debvisor.common.pem;

import java.io.IOException;

/** A PEM text that holds no usable object of the kind asked for, or a broken one. */
public final class PemException extends IOException {

  /** Whether the text held nothing of the kind asked for, or something unreadable. */
  public enum Problem {
    NOT_FOUND,
    MALFORMED
  }

  private final Problem problem;

  PemException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
