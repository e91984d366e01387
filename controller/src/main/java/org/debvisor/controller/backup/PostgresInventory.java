package org.debvisor.controller.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.inventory.SqlDialect;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL inventory seen from the backup tools: what it holds, whether it is empty, the schema
 * this build's migrations reach, and one audit entry appended beside running controllers. Never
 * migrates (that is the controller's job, and the restore's last step).
 */
final class PostgresInventory {

  /** What the inventory holds, for the manifest. */
  record Facts(String schemaVersion, long nodes, long auditEntries, boolean sharedCa) {}

  /** The advisory lock key of a restore's last steps ("dvresto" in ASCII). */
  static final long RESTORE_LOCK = 0x64767265_73746fL;

  private final PostgresUrl url;

  PostgresInventory(PostgresUrl url) {
    this.url = url;
  }

  PostgresUrl url() {
    return url;
  }

  Facts facts() throws SQLException {
    try (Connection c = connect()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      // One snapshot for all counts.
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      Facts facts =
          new Facts(
              text(
                  c,
                  "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                      + " ORDER BY installed_rank DESC LIMIT 1"),
              count(c, "SELECT COUNT(*) FROM nodes"),
              count(c, "SELECT COUNT(*) FROM audit_log"),
              tables(c).contains("shared_ca") && count(c, "SELECT COUNT(*) FROM shared_ca") > 0);
      c.commit();
      return facts;
    }
  }

  /** The tables in the database's current schema; none for an empty target. */
  List<String> tables() throws SQLException {
    try (Connection c = connect()) {
      return tables(c);
    }
  }

  /**
   * What the database holds, in brief: its tables, node count and audit head. A restore notes it
   * before pg_restore runs; if it differs afterwards, pg_restore's one transaction committed.
   */
  String fingerprint() throws SQLException {
    try (Connection c = connect()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      List<String> tables = tables(c);
      String fingerprint = "tables=" + String.join(",", tables);
      if (tables.contains("nodes")) {
        fingerprint += " nodes=" + count(c, "SELECT COUNT(*) FROM nodes");
      }
      if (tables.contains("audit_log")) {
        fingerprint +=
            " audit="
                + text(c, "SELECT seq || ':' || hash FROM audit_log ORDER BY seq DESC LIMIT 1");
      }
      c.commit();
      return fingerprint;
    }
  }

  /**
   * A session holding the restore's advisory lock ({@link #RESTORE_LOCK}) until it is closed: one
   * restore at a time migrates and audits, so two re-runs of an interrupted restore do not both
   * append its audit entry.
   */
  Connection holdRestoreLock() throws SQLException {
    Connection c = connect();
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
      ps.setLong(1, RESTORE_LOCK);
      ps.execute();
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** The newest schema version this build's PostgreSQL migrations reach. */
  MigrationVersion latestKnownSchema() {
    PGSimpleDataSource source = dataSource();
    Flyway flyway =
        Flyway.configure()
            .dataSource(source)
            .locations(SqlDialect.POSTGRESQL.migrationLocations().toArray(String[]::new))
            .failOnMissingLocations(true)
            .load();
    return Arrays.stream(flyway.info().all())
        .filter(m -> m.getState().isResolved() && m.getVersion() != null)
        .map(MigrationInfo::getVersion)
        .max(MigrationVersion::compareTo)
        .orElse(MigrationVersion.EMPTY);
  }

  /** Appends {@code entry} in a transaction of its own (waits for other appenders). */
  void audit(AuditEntry entry, Clock clock) throws SQLException {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        // The controllers may still run the release before this tool's, on its schema.
        new AuditLog(clock).appendOnAnyPostgresSchema(c, entry);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private Connection connect() throws SQLException {
    return dataSource().getConnection();
  }

  private PGSimpleDataSource dataSource() {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(url.jdbcUrl());
    source.setUser(url.user());
    source.setPassword(url.password());
    source.setConnectTimeout(5);
    source.setApplicationName("debvisor-backup");
    return source;
  }

  private static List<String> tables(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                    + " current_schema() ORDER BY table_name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
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
