package org.debvisor.controller.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** A database written by the V1 schema opens under the current one with nothing lost. */
class MigrationTest {

  @TempDir Path dir;

  @Test
  void aV1DatabaseKeepsItsRowsAndPutsThemInTheDefaultCluster() throws Exception {
    Path file = dir.resolve("controller.db");
    SQLiteDataSource v1 = new SQLiteDataSource();
    v1.setUrl("jdbc:sqlite:" + file);
    Flyway.configure()
        .dataSource(v1)
        .locations("classpath:db/migration/sqlite")
        .target("1")
        .load()
        .migrate();
    try (Connection c = v1.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO nodes (id, hostname, profile, arch, agent_address, agent_version, state,"
              + " enrolled_at, facts_fingerprint) VALUES ('n1', 'ceph-1', 'ceph', 'amd64',"
              + " '192.0.2.1:5000', '0.1.0', 'ACTIVE', 1000, 'fp')");
      s.executeUpdate(
          "INSERT INTO bootstrap_tokens (id, secret_sha256, created_at, expires_at, created_by)"
              + " VALUES ('t1', 'abc', 1000, 2000, 'operator')");
      s.executeUpdate(
          "INSERT INTO audit_log (seq, at, actor, action, target, source, result, detail,"
              + " prev_hash, hash) VALUES (1, 1000, 'a', 'x', 't', 's', 'ok', '', '', 'h')");
    }

    try (Database db = Database.open(file)) {
      NodeRow node = db.read(c -> new NodeRepository().find(c, "n1")).orElseThrow();
      assertThat(node.hostname()).isEqualTo("ceph-1");
      assertThat(node.agentAddress()).isEqualTo("192.0.2.1:5000");
      assertThat(node.enrolledAt()).isEqualTo(Instant.ofEpochMilli(1000));
      assertThat(node.cluster()).isEqualTo(ClusterName.DEFAULT);
      TokenRow token = db.read(c -> new TokenRepository().find(c, "t1")).orElseThrow();
      assertThat(token.createdBy()).isEqualTo("operator");
      assertThat(token.cluster()).isEqualTo(ClusterName.DEFAULT);
      assertThat(token.nodeId()).as("older tokens are bound to no node id").isEmpty();
      long auditRows = db.read(c -> scalar(c, "SELECT count(*) FROM audit_log"));
      assertThat(auditRows).isEqualTo(1);
      long v2Applied =
          db.read(
              c ->
                  scalar(
                      c,
                      "SELECT count(*) FROM flyway_schema_history"
                          + " WHERE version = '2' AND success = 1"));
      assertThat(v2Applied).isEqualTo(1);
    }
  }

  private static long scalar(Connection c, String sql) throws java.sql.SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
