package org.debvisor.controller.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.audit.AuditVerifier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The inventory's repositories and the audit log on both engines: SQLite in a temp file and a real
 * PostgreSQL (one server per test JVM, a fresh database per test).
 */
@ExtendWith(PostgresExtension.class)
class InventoryRepositoriesTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123Z");
  // Every byte value, so BLOB/BYTEA round trips cannot hide an encoding.
  private static final byte[] ALL_BYTES = allBytes();

  @TempDir Path dir;

  private final NodeRepository nodes = new NodeRepository();
  private final TokenRepository tokens = new TokenRepository();
  private final CertificateRepository certificates = new CertificateRepository();

  private static byte[] allBytes() {
    byte[] b = new byte[256];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  private static NodeRow node(String id, String hostname, String cluster) {
    return new NodeRow(
        id,
        hostname,
        "ceph",
        cluster,
        "amd64",
        "192.0.2.10:7443",
        "0.2.0",
        NodeState.ACTIVE,
        T0,
        null,
        "01ab",
        T0.plusSeconds(3600),
        null,
        ALL_BYTES,
        "fp1",
        null,
        "");
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void nodesRoundTripEveryColumnAndChangeInPlace(SqlDialect engine, PostgresServer server)
      throws Exception {
    try (Database db = TestInventories.open(engine, dir, server)) {
      assertThat(db.dialect()).isEqualTo(engine);
      db.write(
          c -> {
            nodes.upsertEnrolment(c, node("n2", "ceph-2", "default"));
            nodes.upsertEnrolment(c, node("n1", "ceph-1", "lab"));
            nodes.upsertEnrolment(c, node("n3", "ceph-1", "lab"));
            return null;
          });

      NodeRow n1 = db.read(c -> nodes.find(c, "n1")).orElseThrow();
      assertThat(n1).usingRecursiveComparison().isEqualTo(node("n1", "ceph-1", "lab"));
      assertThat(n1.facts()).isEqualTo(ALL_BYTES);
      assertThat(n1.lastSeen()).isNull();
      assertThat(db.read(c -> nodes.all(c)).stream().map(NodeRow::id))
          .containsExactly("n1", "n3", "n2");
      assertThat(db.read(c -> nodes.findByHostname(c, "ceph-1")).stream().map(NodeRow::id))
          .containsExactly("n1", "n3");

      byte[] status = {0, 1, (byte) 0xff};
      db.writeWithoutSync(
          c -> {
            nodes.recordHeartbeat(c, "n1", T0.plusSeconds(30), status, "192.0.2.11:7443", null, "");
            return null;
          });
      db.write(
          c -> {
            nodes.updateCertificate(c, "n1", "02cd", T0.plusSeconds(7200));
            nodes.revoke(c, "n2", T0.plusSeconds(60), "decommissioned");
            return null;
          });

      NodeRow seen = db.read(c -> nodes.find(c, "n1")).orElseThrow();
      assertThat(seen.lastSeen()).isEqualTo(T0.plusSeconds(30));
      assertThat(seen.lastStatus()).isEqualTo(status);
      assertThat(seen.agentAddress()).isEqualTo("192.0.2.11:7443");
      assertThat(seen.facts()).as("facts kept when the heartbeat sends none").isEqualTo(ALL_BYTES);
      assertThat(seen.certSerial()).isEqualTo("02cd");
      NodeRow revoked = db.read(c -> nodes.find(c, "n2")).orElseThrow();
      assertThat(revoked.state()).isEqualTo(NodeState.REVOKED);
      assertThat(revoked.revokedReason()).isEqualTo("decommissioned");
      assertThat(db.read(nodes::countActiveByCluster)).isEqualTo(Map.of("lab", 2L));
    }
  }

  private static NodeRow withAddress(String id, String agentAddress) {
    NodeRow n = node(id, "host-" + id, "default");
    return new NodeRow(
        n.id(),
        n.hostname(),
        n.profile(),
        n.cluster(),
        n.arch(),
        agentAddress,
        n.agentVersion(),
        n.state(),
        n.enrolledAt(),
        n.lastSeen(),
        n.certSerial(),
        n.certNotAfter(),
        n.lastStatus(),
        n.facts(),
        n.factsFingerprint(),
        n.revokedAt(),
        n.revokedReason());
  }

  private List<String> holders(Database db, String host) {
    return db.read(c -> nodes.findActiveByAgentHost(c, AgentHost.canonical(host))).stream()
        .map(NodeRow::id)
        .toList();
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void nodesAreFoundByTheirAgentHostInAnySpellingAndNotWhenRevoked(
      SqlDialect engine, PostgresServer server) throws Exception {
    PostgresUrl url = engine == SqlDialect.POSTGRESQL ? server.createDatabase() : null;
    Path file = dir.resolve("controller.db");
    try (Database db = url == null ? Database.open(file) : Database.open(url)) {
      db.write(
          c -> {
            nodes.upsertEnrolment(c, withAddress("v6", "[2001:db8::7]:5000"));
            nodes.upsertEnrolment(c, withAddress("name", "Ceph-E.Example:5000"));
            nodes.upsertEnrolment(c, withAddress("v4", "192.0.2.10:7443"));
            nodes.upsertEnrolment(c, withAddress("dhcp", ""));
            nodes.upsertEnrolment(c, withAddress("gone", "192.0.2.99:7443"));
            nodes.revoke(c, "gone", T0, "decommissioned");
            return null;
          });
      assertThat(holders(db, "2001:0db8:0:0:0:0:0:7")).containsExactly("v6");
      assertThat(holders(db, "ceph-e.example")).containsExactly("name");
      assertThat(holders(db, "192.0.2.10")).containsExactly("v4");
      assertThat(holders(db, "192.0.2.99")).as("revoked nodes hold nothing").isEmpty();
      assertThat(holders(db, "")).as("an empty address is nobody's").isEmpty();

      db.writeWithoutSync(
          c -> {
            nodes.recordHeartbeat(
                c, "v4", T0, new byte[] {1}, "[::ffff:192.0.2.11]:7443", null, "");
            return null;
          });
      assertThat(holders(db, "192.0.2.10")).as("the heartbeat moved the node").isEmpty();
      assertThat(holders(db, "192.0.2.11")).containsExactly("v4");

      // A database from before migration 6.1: its rows have no agent host until the next open.
      db.write(c -> c.createStatement().executeUpdate("UPDATE nodes SET agent_host = ''"));
      assertThat(holders(db, "ceph-e.example")).isEmpty();
    }
    try (Database db = url == null ? Database.open(file) : Database.open(url)) {
      assertThat(holders(db, "CEPH-E.example")).containsExactly("name");
      assertThat(holders(db, "2001:db8:0::7")).containsExactly("v6");
      assertThat(holders(db, "192.0.2.11")).containsExactly("v4");
      assertThat(db.read(c -> nodes.find(c, "dhcp")).orElseThrow().agentAddress()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aTokenIsConsumedOnceAndCertificatesNeedTheirNode(SqlDialect engine, PostgresServer server)
      throws Exception {
    try (Database db = TestInventories.open(engine, dir, server)) {
      TokenRow token =
          new TokenRow(
              "tok1",
              "ab".repeat(32),
              T0,
              T0.plusSeconds(900),
              "ceph-1",
              "ceph",
              "lab",
              "operator",
              null,
              "",
              "n1");
      db.write(
          c -> {
            tokens.insert(c, token);
            nodes.upsertEnrolment(c, node("n1", "ceph-1", "lab"));
            certificates.insert(c, new CertificateRow("01ab", "n1", T0, T0.plusSeconds(60), null));
            certificates.insert(c, new CertificateRow("02cd", "n1", T0, T0.plusSeconds(60), null));
            return null;
          });

      Optional<TokenRow> stored = db.read(c -> tokens.find(c, "tok1"));
      assertThat(stored).contains(token);
      boolean first = db.write(c -> tokens.consume(c, "tok1", T0.plusSeconds(5), "n1"));
      boolean second = db.write(c -> tokens.consume(c, "tok1", T0.plusSeconds(6), "n9"));
      assertThat(first).isTrue();
      assertThat(second).as("a used token is not consumed again").isFalse();
      TokenRow used = db.read(c -> tokens.find(c, "tok1")).orElseThrow();
      assertThat(used.usedAt()).isEqualTo(T0.plusSeconds(5));
      assertThat(used.usedByNode()).isEqualTo("n1");

      int revoked = db.write(c -> certificates.revokeAllOf(c, "n1", T0.plusSeconds(9)));
      assertThat(revoked).isEqualTo(2);
      assertThat(db.read(c -> certificates.find(c, "02cd")).orElseThrow().revokedAt())
          .isEqualTo(T0.plusSeconds(9));

      assertThatThrownBy(
              () ->
                  db.write(
                      c -> {
                        certificates.insert(
                            c, new CertificateRow("03ef", "no-such-node", T0, T0, null));
                        return null;
                      }))
          .as("the foreign key holds on both engines")
          .isInstanceOf(InventoryException.class)
          .satisfies(e -> assertThat(((InventoryException) e).isTransient()).isFalse());
      Optional<CertificateRow> refused = db.read(c -> certificates.find(c, "03ef"));
      assertThat(refused).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aFailedWriteLeavesNothingBehind(SqlDialect engine, PostgresServer server) throws Exception {
    try (Database db = TestInventories.open(engine, dir, server)) {
      db.write(
          c -> {
            nodes.upsertEnrolment(c, node("n1", "ceph-1", "lab"));
            return null;
          });

      assertThatThrownBy(
              () ->
                  db.write(
                      c -> {
                        nodes.revoke(c, "n1", T0, "half done");
                        tokens.insert(c, tokenRow("tok1"));
                        tokens.insert(c, tokenRow("tok1"));
                        return null;
                      }))
          .isInstanceOf(InventoryException.class);

      assertThat(db.read(c -> nodes.find(c, "n1")).orElseThrow().state())
          .isEqualTo(NodeState.ACTIVE);
      Optional<TokenRow> rolledBack = db.read(c -> tokens.find(c, "tok1"));
      assertThat(rolledBack).isEmpty();
      db.write(
          c -> {
            tokens.insert(c, tokenRow("tok2"));
            return null;
          });
      Optional<TokenRow> after = db.read(c -> tokens.find(c, "tok2"));
      assertThat(after).as("the writer still works").isPresent();
    }
  }

  private static TokenRow tokenRow(String id) {
    return new TokenRow(
        id, "cd".repeat(32), T0, T0.plusSeconds(60), "", "", "default", "operator", null, "", "");
  }

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void theAuditChainVerifiesAndTheDatabaseRefusesToRewriteIt(
      SqlDialect engine, PostgresServer server) throws Exception {
    AuditLog log = new AuditLog(Clock.systemUTC());
    try (Database db = TestInventories.open(engine, dir, server)) {
      for (int i = 1; i <= 3; i++) {
        String target = "tok" + i;
        db.write(
            c ->
                log.append(
                    c, new AuditEntry("operator", "token.create", target, "::1", "ok", "ttl=1h")));
      }

      for (String tamper :
          List.of(
              "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2",
              "DELETE FROM audit_log WHERE seq = 2")) {
        assertThatThrownBy(() -> db.write(c -> execute(c, tamper)))
            .isInstanceOf(InventoryException.class)
            .hasMessageContaining("append-only");
      }

      List<AuditRecord> page = db.read(c -> AuditLog.page(c, 0, 10));
      assertThat(page).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L);
      assertThat(page.get(1).entry().actor()).isEqualTo("operator");
      AuditVerifier.Result result = db.read(c -> new AuditVerifier().verify(c));
      assertThat(result.intact()).as(result.problem()).isTrue();
      assertThat(result.checked()).isEqualTo(3);
    }
  }

  private static int execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  static long scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
