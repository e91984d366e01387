package org.debvisor.controller.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.ha.SharedCaSeed;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.NodeRepository;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.NodeState;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.inventory.TokenRepository;
import org.debvisor.controller.inventory.TokenRow;
import org.debvisor.controller.pki.CertificateAuthority;

/**
 * Test data for backups of a PostgreSQL inventory: a migrated database with nodes, a token and
 * audit entries, the state directory beside it and the backup passphrase, all under one directory.
 */
final class PostgresInventoryFixture {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final String OPERATOR_TOKEN = "dvop_0123456789abcdef\n";
  static final String PASSPHRASE = "correct horse battery staple";

  private final PostgresServer server;
  private final Path dir;
  private final Clock clock = Clock.systemUTC();

  PostgresInventoryFixture(PostgresServer server, Path dir) {
    this.server = server;
    this.dir = dir;
  }

  PostgresServer server() {
    return server;
  }

  /** The 0600 file holding {@link #PASSPHRASE} (also the shared CA's passphrase). */
  Path passphraseFile() throws Exception {
    Path file = dir.resolve("passphrase");
    if (!Files.exists(file)) {
      SharedCaSeed.passphraseFile(file, PASSPHRASE);
    }
    return file;
  }

  Passphrase passphrase() throws Exception {
    return Passphrase.read(passphraseFile());
  }

  /** A migrated inventory with the CA in shared_ca, two nodes, a token and audit entries. */
  PostgresUrl sharedCaInventory() throws Exception {
    PostgresUrl url = server.createDatabase();
    SharedCaSeed.seed(url, passphraseFile(), dir.resolve("seed-" + url.database()));
    populate(url);
    return url;
  }

  /**
   * The same content with the CA as files only: {@code stateDir}/pki/ca.key and ca.pem (a single
   * controller), so its backup carries the key encrypted with the passphrase.
   */
  PostgresUrl fileCaInventory(Path stateDir) throws Exception {
    PostgresUrl url = server.createDatabase();
    CertificateAuthority.loadOrCreate(stateDir.resolve("pki"), clock);
    Files.writeString(stateDir.resolve(StateLayout.OPERATOR_TOKEN), OPERATOR_TOKEN);
    populate(url);
    return url;
  }

  private void populate(PostgresUrl url) {
    try (Database db = Database.open(url)) {
      db.write(
          c -> {
            NodeRepository nodes = new NodeRepository();
            nodes.upsertEnrolment(c, node("node-a", "ceph-1"));
            nodes.upsertEnrolment(c, node("node-b", "ceph-2"));
            new TokenRepository()
                .insert(
                    c,
                    new TokenRow(
                        "tok-backup",
                        "ab".repeat(32),
                        T0,
                        T0.plusSeconds(900),
                        "",
                        "ceph",
                        "default",
                        "operator",
                        null,
                        "",
                        ""));
            for (int i = 0; i < 3; i++) {
              new AuditLog(clock)
                  .append(
                      c, new AuditEntry("local:test", "test.seed", "node", "local", "ok", "#" + i));
            }
            return null;
          });
    }
  }

  /** Enrols one more node, as a controller would after the backup was taken. */
  void addNode(PostgresUrl url, String id, String hostname) {
    try (Database db = Database.open(url)) {
      db.write(
          c -> {
            new NodeRepository().upsertEnrolment(c, node(id, hostname));
            return null;
          });
    }
  }

  /** A state directory with the shared CA's certificate and an operator token. */
  Path stateDir() throws Exception {
    Path state = dir.resolve("state");
    if (!Files.exists(state)) {
      Files.createDirectories(state.resolve("pki"));
      Files.writeString(state.resolve(StateLayout.OPERATOR_TOKEN), OPERATOR_TOKEN);
      Files.writeString(state.resolve(StateLayout.CA_CERT), "certificate of the shared CA\n");
    }
    return state;
  }

  static NodeRow node(String id, String hostname) {
    return new NodeRow(
        id,
        hostname,
        "ceph",
        "default",
        "amd64",
        "192.0.2.10:7443",
        "0.2.0",
        NodeState.ACTIVE,
        T0,
        null,
        "01" + id.hashCode(),
        T0.plusSeconds(3600),
        null,
        null,
        "",
        null,
        "");
  }

  Connection connect(PostgresUrl url) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(url.database()), url.user(), "");
  }

  long count(PostgresUrl url, String table) throws SQLException {
    try (Connection c = connect(url);
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The tables in {@code url}'s current schema: none for an untouched empty database. */
  long tables(PostgresUrl url) throws SQLException {
    try (Connection c = connect(url);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema ="
                        + " current_schema()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * What a restore could change in {@code url}: row counts of the inventory's tables and the nodes'
   * hostnames, as one comparable text.
   */
  String contents(PostgresUrl url) throws SQLException {
    try (Connection c = connect(url);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT 'nodes=' || (SELECT COUNT(*) FROM nodes)"
                        + " || ' bootstrap_tokens=' || (SELECT COUNT(*) FROM bootstrap_tokens)"
                        + " || ' audit_log=' || (SELECT COUNT(*) FROM audit_log)"
                        + " || ' shared_ca=' || (SELECT COUNT(*) FROM shared_ca)"
                        + " || ' ' || COALESCE((SELECT string_agg(hostname, ' ' ORDER BY hostname)"
                        + " FROM nodes), '')")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
