package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.debvisor.common.error.Causes;

/**
 * What differs between the two engines the inventory runs on. The repositories' SQL is the same for
 * both; only migrations where the DDL differs, the per-transaction durability switch and the
 * reading of failures live here.
 */
public enum SqlDialect {
  SQLITE("sqlite") {
    @Override
    void relaxDurability(Connection writer) throws SQLException {
      // SQLite ignores the pragma inside a transaction, so it is set between two.
      pragmaSynchronous(writer, "NORMAL");
    }

    @Override
    void restoreDurability(Connection writer) throws SQLException {
      pragmaSynchronous(writer, "FULL");
    }

    @Override
    void beginRead(Connection connection) {
      // WAL readers see one snapshot per transaction already.
    }

    @Override
    String nowQuery() {
      return "SELECT CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)";
    }

    @Override
    boolean isEngineBusy(SQLException e) {
      String message = e.getMessage();
      return message != null && (message.contains("SQLITE_BUSY") || message.contains("locked"));
    }
  },

  POSTGRESQL("postgresql") {
    @Override
    void relaxDurability(Connection writer) throws SQLException {
      // Only this transaction skips waiting for its WAL flush; SET LOCAL ends with it.
      try (Statement s = writer.createStatement()) {
        s.execute("SET LOCAL synchronous_commit TO OFF");
      }
    }

    @Override
    void restoreDurability(Connection writer) {
      // SET LOCAL ended with the transaction.
    }

    @Override
    public void boundIdleInTransaction(Connection c, java.time.Duration limit) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL idle_in_transaction_session_timeout = " + limit.toMillis());
      }
    }

    @Override
    void beginRead(Connection connection) throws SQLException {
      // One snapshot for all statements of a read, as SQLite's WAL gives.
      try (Statement s = connection.createStatement()) {
        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      }
    }

    @Override
    String nowQuery() {
      // clock_timestamp, not now(): now() stands still for the whole transaction.
      return "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    }

    @Override
    boolean isEngineBusy(SQLException e) {
      String state = e.getSQLState();
      return state != null && (state.startsWith("08") || RETRYABLE_POSTGRES_STATES.contains(state));
    }
  };

  /**
   * The database server's clock, in epoch milliseconds: leases are timed by it, so controllers on
   * machines whose clocks disagree still agree on when a lease ends.
   */
  public java.time.Instant now(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        java.sql.ResultSet r = s.executeQuery(nowQuery())) {
      r.next();
      return java.time.Instant.ofEpochMilli(r.getLong(1));
    }
  }

  abstract String nowQuery();

  // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections,
  // serialization_failure, deadlock_detected: a later try may succeed.
  private static final Set<String> RETRYABLE_POSTGRES_STATES =
      Set.of("57P01", "57P02", "57P03", "53300", "40001", "40P01");

  private final String vendor;

  SqlDialect(String vendor) {
    this.vendor = vendor;
  }

  /** Flyway locations: migrations both engines share, then this engine's own. */
  public List<String> migrationLocations() {
    return List.of("classpath:db/migration/common", "classpath:db/migration/" + vendor);
  }

  /** Lets the next transaction on {@code writer} commit without waiting for the disk. */
  abstract void relaxDurability(Connection writer) throws SQLException;

  /** Undoes {@link #relaxDurability} once that transaction ended. */
  abstract void restoreDurability(Connection writer) throws SQLException;

  /**
   * Has the server end this transaction's session when it waits longer than {@code limit} for the
   * client's next statement. A controller cut off from the database mid-transaction cannot roll
   * back, and the server, seeing no reset, would keep its row locks (the lease row among them) for
   * as long as TCP keepalive takes; this bounds that. SQLite has one process: nothing to do.
   */
  public void boundIdleInTransaction(Connection c, java.time.Duration limit) throws SQLException {
    // SQLite: the state lock admits one controller, whose own crash releases every lock.
  }

  /** Called first in every read-only transaction. */
  abstract void beginRead(Connection connection) throws SQLException;

  abstract boolean isEngineBusy(SQLException e);

  /**
   * True when the failure is the database being busy or out of reach rather than broken: the same
   * call may succeed later, so callers answer "unavailable, retry".
   */
  public boolean isTransient(Throwable failure) {
    for (Throwable t : Causes.chain(failure)) {
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException e && isEngineBusy(e)) {
        return true;
      }
    }
    return false;
  }

  private static void pragmaSynchronous(Connection writer, String level) throws SQLException {
    try (Statement s = writer.createStatement()) {
      writer.setAutoCommit(true);
      s.execute("PRAGMA synchronous=" + level);
      writer.setAutoCommit(false);
    }
  }
}
