package org.debvisor.controller.inventory;

/**
 * The inventory database failed: I/O, locked past the busy timeout, out of reach, corrupt, or a
 * schema this controller does not know.
 */
public final class InventoryException extends RuntimeException {

  private final boolean transientFailure;

  public InventoryException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * @param transientFailure the database was busy or unreachable, so a retry may succeed
   */
  public InventoryException(String message, Throwable cause, boolean transientFailure) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  /** True when the database was busy or out of reach rather than broken: retry later. */
  public boolean isTransient() {
    return transientFailure;
  }
}
