package org.debvisor.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.inventory.NodeRepository;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.inventory.SharedCaRepository;
import org.debvisor.controller.inventory.StoredCa;
import org.debvisor.controller.inventory.TokenRepository;
import org.debvisor.controller.inventory.TokenRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup of a PostgreSQL inventory with pg_dump and its restore into an empty database, against a
 * real PostgreSQL; the CA lives in the database (shared_ca), so no pki/ca.key is needed.
 */
@ExtendWith(PostgresExtension.class)
class PostgresBackupRestoreTest {

  private static final String OPERATOR_TOKEN = PostgresInventoryFixture.OPERATOR_TOKEN;

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();
  private PostgresInventoryFixture fixture;
  private final CaKeyCipher cipher = new CaKeyCipher(1_000);

  @Test
  void roundTripKeepsNodesTokensAuditChainAndTheSharedCa(PostgresServer server) throws Exception {
    PostgresUrl source = fixture(server).sharedCaInventory();
    Path state = fixture.stateDir();
    Path backup = dir.resolve("backups/pg");
    Files.createDirectories(backup.getParent());

    BackupResult result = backup(source, state, backup);

    assertThat(result.manifest().engine()).isEqualTo(BackupManifest.POSTGRESQL);
    assertThat(result.manifest().nodes()).isEqualTo(2);
    assertThat(result.manifest().files())
        .extracting(BackupManifest.FileEntry::path)
        .containsExactlyInAnyOrder(
            PostgresBackup.DUMP, StateLayout.CA_CERT, StateLayout.OPERATOR_TOKEN);
    assertThat(Files.exists(backup.resolve(StateLayout.ENCRYPTED_CA_KEY))).isFalse();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(backup.resolve(PostgresBackup.DUMP))))
        .isEqualTo("rw-------");

    PostgresUrl target = server.createDatabase();
    Path restoredState = dir.resolve("restored-state");
    RestoreResult restored = restore(backup, target, restoredState, false);

    assertThat(restored.dryRun()).isFalse();
    try (Connection before = fixture.connect(source);
        Connection after = fixture.connect(target)) {
      NodeRepository nodes = new NodeRepository();
      assertThat(nodes.all(after))
          .extracting(NodeRow::id, NodeRow::hostname, NodeRow::certSerial)
          .containsExactlyElementsOf(
              nodes.all(before).stream()
                  .map(
                      n ->
                          org.assertj.core.groups.Tuple.tuple(n.id(), n.hostname(), n.certSerial()))
                  .toList());
      assertThat(new TokenRepository().find(after, "tok-backup"))
          .map(TokenRow::secretSha256)
          .contains("ab".repeat(32));
      StoredCa caBefore = new SharedCaRepository().find(before).orElseThrow();
      StoredCa caAfter = new SharedCaRepository().find(after).orElseThrow();
      assertThat(caAfter.certificatePem()).isEqualTo(caBefore.certificatePem());
      assertThat(caAfter.encryptedKeyPem()).isEqualTo(caBefore.encryptedKeyPem());
      AuditVerifier.Result chain = new AuditVerifier().verify(after);
      assertThat(chain.intact()).as(chain.problem()).isTrue();
      List<AuditRecord> audit = AuditLog.page(after, 0, 1_000);
      assertThat(audit)
          .extracting(r -> r.entry().action())
          .contains("test.seed", "controller.backup")
          .last()
          .isEqualTo("controller.restore");
    }
    assertThat(Files.readString(restoredState.resolve(StateLayout.OPERATOR_TOKEN)))
        .isEqualTo(OPERATOR_TOKEN);
    assertThat(Files.readString(restoredState.resolve(StateLayout.CA_CERT)))
        .isEqualTo(Files.readString(state.resolve(StateLayout.CA_CERT)));
  }

  @Test
  void nonEmptyTargetIsRefusedByNameAndLeftUnchanged(PostgresServer server) throws Exception {
    PostgresUrl source = fixture(server).sharedCaInventory();
    Path backup = dir.resolve("backup");
    backup(source, fixture.stateDir(), backup);
    long auditBefore = fixture.count(source, "audit_log");
    long nodesBefore = fixture.count(source, "nodes");
    Path emptyState = dir.resolve("new-state");

    assertThatThrownBy(() -> restore(backup, source, emptyState, false))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining(source.redacted())
        .hasMessageContaining("is not empty")
        .hasMessageContaining("--force")
        .satisfies(e -> assertThat(((BackupException) e).badInput()).isTrue());

    assertThat(fixture.count(source, "audit_log")).isEqualTo(auditBefore);
    assertThat(fixture.count(source, "nodes")).isEqualTo(nodesBefore);
    assertThat(Files.exists(emptyState)).isFalse();
  }

  @Test
  void unreachableDatabaseIsNamedWithoutItsPassword() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    PostgresUrl url = new PostgresUrl("debvisor", "s3cret-pw-42", "127.0.0.1", closedPort, "inv");
    Path backup = dir.resolve("backup");

    assertThatThrownBy(() -> backup(url, fixture(null).stateDir(), backup))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("127.0.0.1:" + closedPort + "/inv")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-pw-42"));
    assertThat(Files.exists(backup)).isFalse();
    assertThat(Files.exists(ControllerBackup.stagingFor(backup))).isFalse();
  }

  @Test
  void dumpFromANewerSchemaIsRefusedBeforeTheTargetIsTouched(PostgresServer server)
      throws Exception {
    PostgresUrl source = fixture(server).sharedCaInventory();
    try (Connection c = fixture.connect(source);
        Statement s = c.createStatement()) {
      // What a newer controller's migration leaves in the history.
      s.execute(
          "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
              + " checksum, installed_by, execution_time, success) VALUES (999, '999', 'newer',"
              + " 'SQL', 'V999__newer.sql', 0, 'test', 0, true)");
    }
    Path backup = dir.resolve("backup");
    assertThat(backup(source, fixture.stateDir(), backup).manifest().schemaVersion())
        .isEqualTo("999");
    PostgresUrl target = server.createDatabase();
    Path emptyState = dir.resolve("new-state");

    assertThatThrownBy(() -> restore(backup, target, emptyState, false))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("schema version 999, newer than this DebVisor knows");

    assertThat(fixture.tables(target)).isZero();
    assertThat(Files.exists(emptyState)).isFalse();
  }

  @Test
  void backupBesideControllersOfTheReleaseBeforeAuditsOnTheirSchema(PostgresServer server)
      throws Exception {
    PostgresUrl source = fixture(server).sharedCaInventory();
    try (Connection c = fixture.connect(source);
        Statement s = c.createStatement()) {
      // Back to schema 7: what controllers of the release before migration V8 still serve.
      s.execute("DROP TRIGGER audit_head_follows_log ON audit_log");
      s.execute("DROP FUNCTION audit_head_follow()");
      s.execute("ALTER TABLE audit_head DROP COLUMN seq, DROP COLUMN hash");
      s.execute("DELETE FROM flyway_schema_history WHERE version = '8'");
    }
    long entriesBefore = fixture.count(source, "audit_log");

    BackupResult result = backup(source, fixture.stateDir(), dir.resolve("backup"));

    assertThat(result.manifest().schemaVersion()).isEqualTo("7");
    try (Connection c = fixture.connect(source)) {
      AuditVerifier.Result chain = new AuditVerifier().verify(c);
      assertThat(chain.intact()).as(chain.problem()).isTrue();
      List<AuditRecord> audit = AuditLog.page(c, 0, 1_000);
      assertThat(audit.subList((int) entriesBefore, audit.size()))
          .extracting(r -> r.entry().action() + " " + r.entry().result())
          .containsExactly("controller.backup started", "controller.backup ok");
    }
  }

  private BackupResult backup(PostgresUrl url, Path state, Path backup) throws Exception {
    return new PostgresBackup("0.2.0-SNAPSHOT", cipher, clock, "local:test", step -> {})
        .backup(url, state, backup, fixture.passphrase());
  }

  private RestoreResult restore(Path backup, PostgresUrl url, Path state, boolean force)
      throws Exception {
    return new PostgresRestore("0.2.0-SNAPSHOT", cipher, clock, "local:test", step -> {})
        .restore(backup, url, state, fixture.passphrase(), force, false);
  }

  private PostgresInventoryFixture fixture(PostgresServer server) {
    fixture = new PostgresInventoryFixture(server, dir);
    return fixture;
  }
}
