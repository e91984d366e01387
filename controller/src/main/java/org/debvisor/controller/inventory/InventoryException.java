package org.debvisor.controller.inventory;

/** The inventory database failed (I/O, locked past the busy timeout, corrupt file). */
public final class InventoryException extends RuntimeException {

  public InventoryException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True when the database was busy (locked by another writer) rather than broken. */
  public boolean isBusy() {
    return getCause() instanceof java.sql.SQLException e
        && e.getMessage() != null
        && (e.getMessage().contains("SQLITE_BUSY") || e.getMessage().contains("locked"));
  }
}
