package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Checked first in a coordinated write's transaction: throws when this controller may no longer do
 * work that must run once (it lost the leader lease), so the transaction rolls back.
 */
@FunctionalInterface
public interface WriteFence {

  /** For a controller that is the only one (SQLite): every write may go ahead. */
  WriteFence NONE = c -> {};

  /**
   * @throws InventoryException when the write must not happen
   */
  void check(Connection c) throws SQLException;
}
