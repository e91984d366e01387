package org.debvisor.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.inventory.SqlDialect;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On PostgreSQL the audit chain's end lives in audit_head: a database whose log was written before
 * that (schema 7, e.g. an older controller's dump) gets its head from the log when migrated, and
 * the next append continues the chain after its last entry.
 */
@ExtendWith(PostgresExtension.class)
class AuditHeadMigrationTest {

  @Test
  void logWrittenBeforeTheHeadKeptItsEndIsContinuedAfterMigration(PostgresServer server)
      throws Exception {
    PostgresUrl url = server.createDatabase();
    Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations(SqlDialect.POSTGRESQL.migrationLocations().toArray(String[]::new))
        .target("7")
        .load()
        .migrate();
    AuditEntry old = new AuditEntry("ctl-old", "test.old", "t", "test", "ok", "");
    Instant at = Instant.ofEpochMilli(1_700_000_000_000L);
    String first = AuditChain.hash(AuditChain.GENESIS, 1, at, old);
    String second = AuditChain.hash(first, 2, at, old);
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
      insert(c, 1, at, old, AuditChain.GENESIS, first);
      insert(c, 2, at, old, first, second);
    }

    try (Database db = Database.open(url)) {
      AuditRecord appended =
          db.write(
              c ->
                  new AuditLog(Clock.systemUTC())
                      .append(c, new AuditEntry("ctl-new", "test.new", "t", "test", "ok", "")));

      assertThat(appended.seq()).isEqualTo(3);
      assertThat(appended.prevHash()).isEqualTo(second);
    }
    try (Connection c = Database.readOnlyConnection(url)) {
      AuditVerifier.Result chain = new AuditVerifier().verify(c);
      assertThat(chain.intact()).as(chain.problem()).isTrue();
      assertThat(chain.checked()).isEqualTo(3);
      List<AuditRecord> all = AuditLog.page(c, 0, 10);
      assertThat(head(c)).isEqualTo(all.get(2).seq() + ":" + all.get(2).hash());
    }
  }

  @Test
  void appendsOfAnOlderControllerDuringARollingUpgradeMoveTheHeadToo(PostgresServer server)
      throws Exception {
    PostgresUrl url = server.createDatabase();
    try (Database db = Database.open(url)) {
      AuditLog log = new AuditLog(Clock.systemUTC());
      AuditRecord first =
          db.write(c -> log.append(c, new AuditEntry("ctl-new", "test.a", "t", "test", "ok", "")));
      // What a 0.1.x controller, still running beside this one, does for an append: it knows
      // nothing of the head's seq and hash.
      AuditEntry old = new AuditEntry("ctl-old", "test.old", "t", "test", "ok", "");
      Instant at = Instant.ofEpochMilli(1_700_000_000_000L);
      String oldHash = AuditChain.hash(first.hash(), 2, at, old);
      try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
        c.setAutoCommit(false);
        try (PreparedStatement lock =
            c.prepareStatement("UPDATE audit_head SET appends = appends + 1 WHERE id = 1")) {
          lock.executeUpdate();
        }
        insert(c, 2, at, old, first.hash(), oldHash);
        c.commit();
      }

      AuditRecord next =
          db.write(c -> log.append(c, new AuditEntry("ctl-new", "test.b", "t", "test", "ok", "")));

      assertThat(next.seq()).isEqualTo(3);
      assertThat(next.prevHash()).isEqualTo(oldHash);
    }
    try (Connection c = Database.readOnlyConnection(url)) {
      AuditVerifier.Result chain = new AuditVerifier().verify(c);
      assertThat(chain.intact()).as(chain.problem()).isTrue();
      assertThat(chain.checked()).isEqualTo(3);
      assertThat(head(c)).startsWith("3:");
    }
  }

  @Test
  void aToolsAppendForAnySchemaMovesTheHeadOnTheNewOne(PostgresServer server) throws Exception {
    PostgresUrl url = server.createDatabase();
    try (Database db = Database.open(url)) {
      AuditLog log = new AuditLog(Clock.systemUTC());
      AuditRecord first =
          db.write(c -> log.append(c, new AuditEntry("ctl", "test.a", "t", "test", "ok", "")));
      AuditRecord tool =
          db.write(
              c ->
                  log.appendOnAnyPostgresSchema(
                      c, new AuditEntry("backup", "controller.backup", "t", "test", "ok", "")));
      AuditRecord next =
          db.write(c -> log.append(c, new AuditEntry("ctl", "test.b", "t", "test", "ok", "")));

      assertThat(tool.seq()).isEqualTo(2);
      assertThat(tool.prevHash()).isEqualTo(first.hash());
      assertThat(next.seq()).isEqualTo(3);
      assertThat(next.prevHash()).isEqualTo(tool.hash());
    }
    try (Connection c = Database.readOnlyConnection(url)) {
      AuditVerifier.Result chain = new AuditVerifier().verify(c);
      assertThat(chain.intact()).as(chain.problem()).isTrue();
      assertThat(head(c)).startsWith("3:");
    }
  }

  /** The head row as {@code seq:hash}. */
  static String head(Connection c) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head");
        ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).isTrue();
      String head = rs.getLong(1) + ":" + rs.getString(2);
      assertThat(rs.next()).isFalse();
      return head;
    }
  }

  private static void insert(
      Connection c, long seq, Instant at, AuditEntry e, String prev, String hash) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit_log (seq, at, actor, action, target, source, result, detail,"
                + " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, seq);
      ps.setLong(2, at.toEpochMilli());
      ps.setString(3, e.actor());
      ps.setString(4, e.action());
      ps.setString(5, e.target());
      ps.setString(6, e.source());
      ps.setString(7, e.result());
      ps.setString(8, e.detail());
      ps.setString(9, prev);
      ps.setString(10, hash);
      ps.executeUpdate();
    }
  }
}
