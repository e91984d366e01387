package org.debvisor.controller.backup;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.SqlDialect;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * A controller database file seen from outside the controller: an online snapshot, its schema
 * version and size, and one audit entry appended beside a running controller. Never migrates the
 * live file (that is the controller's job on start).
 */
final class InventoryFile {

  /** Where the controller's migrations live; the schema this build knows. */
  static final String[] MIGRATIONS = SqlDialect.SQLITE.migrationLocations().toArray(String[]::new);

  private static final int BUSY_TIMEOUT_MS = 10_000;

  /** What a database holds, for the manifest. */
  record Facts(String schemaVersion, long nodes, long auditEntries) {}

  /** How a database's schema compares with this build's migrations. */
  record Schema(String current, String latestKnown, int pending, Optional<String> newer) {}

  private final Path file;

  InventoryFile(Path file) {
    this.file = file;
  }

  /**
   * Writes a consistent copy of the database into {@code target} (an empty file) with {@code VACUUM
   * INTO} on a connection of its own: one read transaction, so the copy is one committed state even
   * while the controller writes.
   */
  void snapshotInto(Path target) throws SQLException {
    try (Connection c = readOnly();
        PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
      ps.setString(1, target.toAbsolutePath().toString());
      ps.execute();
    }
  }

  /** Switches a copy (never the live file) from WAL to a rollback journal. */
  void useRollbackJournal() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    try (Connection c = config.createConnection(url());
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=DELETE");
    }
  }

  Facts facts() throws SQLException {
    try (Connection c = readOnly()) {
      return new Facts(
          schemaVersion(c),
          count(c, "SELECT COUNT(*) FROM nodes"),
          count(c, "SELECT COUNT(*) FROM audit_log"));
    }
  }

  /** The schema against this build's migrations (read-only: nothing is migrated). */
  Schema schema() {
    SQLiteDataSource source = new SQLiteDataSource(readOnlyConfig());
    source.setUrl(url());
    Flyway flyway =
        Flyway.configure()
            .dataSource(source)
            .locations(MIGRATIONS)
            .failOnMissingLocations(true)
            .load();
    MigrationInfo[] all = flyway.info().all();
    MigrationInfo current = flyway.info().current();
    String latest =
        Arrays.stream(all)
            .filter(m -> !isFuture(m.getState()) && m.getVersion() != null)
            .map(m -> m.getVersion().getVersion())
            .reduce((a, b) -> b)
            .orElse("none");
    Optional<String> newer =
        Arrays.stream(all)
            .filter(m -> isFuture(m.getState()))
            .map(m -> m.getVersion().getVersion())
            .reduce((a, b) -> b);
    return new Schema(
        current == null ? "none" : current.getVersion().getVersion(),
        latest,
        flyway.info().pending().length,
        newer);
  }

  private static boolean isFuture(MigrationState state) {
    return state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED;
  }

  /** Appends {@code entry} to the audit chain in a transaction of its own (waits for the lock). */
  void audit(AuditEntry entry, Clock clock) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    // IMMEDIATE: take the write lock before reading the chain's end, so a controller writing at
    // the same moment cannot slip an entry in between (the chain would fork; seq would clash).
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    try (Connection c = config.createConnection(url())) {
      c.setAutoCommit(false);
      try {
        new AuditLog(clock).append(c, entry);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private Connection readOnly() throws SQLException {
    return readOnlyConfig().createConnection(url());
  }

  private static SQLiteConfig readOnlyConfig() {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    return config;
  }

  private String url() {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }

  private static String schemaVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT"
                    + " NULL ORDER BY installed_rank DESC LIMIT 1")) {
      return rs.next() ? rs.getString(1) : "none";
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
