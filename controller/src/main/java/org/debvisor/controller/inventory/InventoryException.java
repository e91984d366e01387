package org.debvisor.controller.inventory;

/**
 * The inventory database failed: I/O, locked past the busy timeout, out of reach, corrupt, or a
 * schema this controller does not know.
 */
public final class InventoryException extends RuntimeException {

  private final boolean transientFailure;
  private final String database;

  public InventoryException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * @param transientFailure the database was busy or unreachable, so a retry may succeed
   */
  public InventoryException(String message, Throwable cause, boolean transientFailure) {
    this(message, cause, transientFailure, null);
  }

  /**
   * @param database the file or URL without password of the database that failed, for callers'
   *     messages; null when unknown
   */
  public InventoryException(
      String message, Throwable cause, boolean transientFailure, String database) {
    super(message, cause);
    this.transientFailure = transientFailure;
    this.database = database;
  }

  /** True when the database was busy or out of reach rather than broken: retry later. */
  public boolean isTransient() {
    return transientFailure;
  }

  /**
   * What a caller is told when this failure is transient: which database (never its password) and
   * that a retry may work.
   */
  public String unavailableMessage() {
    return "the inventory database"
        + (database == null ? "" : " " + database)
        + " is busy or unreachable; retry shortly";
  }
}
