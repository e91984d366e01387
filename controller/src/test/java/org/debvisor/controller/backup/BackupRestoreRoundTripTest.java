package org.debvisor.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.LatestSchema;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.GetNodeStatusRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup of a running controller with an enrolled, heartbeating node; the state directory lost;
 * restore; the restarted controller accepts the node's next heartbeat with its old certificate.
 */
class BackupRestoreRoundTripTest {

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();

  private Passphrase passphrase() throws Exception {
    Path file = dir.resolve("passphrase");
    Files.writeString(file, "correct horse battery staple\n");
    return Passphrase.read(file);
  }

  @Test
  void restoredControllerKeepsCaNodesAndAuditAndAcceptsTheOldCertificate() throws Exception {
    Path state = dir.resolve("state");
    Path backup = dir.resolve("backups/one");
    Files.createDirectories(backup.getParent());
    TestNode node = new TestNode("9f8e7d6c5b4a39281706f5e4d3c2b1a0", "ceph-7");
    String certificate;
    String caPem;
    String operatorToken;
    List<String> steps = new ArrayList<>();
    BackupResult result;
    try (RunningController ctl = RunningController.start(state)) {
      certificate = FleetState.enrol(ctl, node);
      FleetState.heartbeat(ctl, node, certificate);
      caPem = Files.readString(ctl.caFile());
      operatorToken = ctl.operatorToken();
      // ISOs built over the API and their download cache are made again, not backed up (the
      // listing of the backup below has neither).
      Files.createDirectories(state.resolve("isos"));
      Files.writeString(state.resolve("isos/debvisor-ceph-7-amd64.iso"), "an ISO");
      Files.createDirectories(state.resolve("iso-cache/derived"));
      Files.writeString(state.resolve("iso-cache/derived/initrd.gz"), "an initrd");
      // Online: the controller keeps serving during the backup.
      result =
          new ControllerBackup(
                  "0.1.0",
                  new CaKeyCipher(CaKeyCipher.DEFAULT_ITERATIONS),
                  clock,
                  "local:test",
                  steps::add)
              .backup(state, backup, passphrase());
      FleetState.heartbeat(ctl, node, certificate);
    } finally {
      node.close();
    }

    assertThat(result.manifest().nodes()).isEqualTo(1);
    assertThat(result.manifest().schemaVersion()).isEqualTo(LatestSchema.version());
    assertThat(result.manifest().debvisorVersion()).isEqualTo("0.1.0");
    assertThat(steps).anyMatch(s -> s.startsWith("snapshot of controller.db"));
    assertThat(DirectorySnapshot.names(backup))
        .containsExactly(
            "controller-id",
            "controller.db",
            "manifest.json",
            "manifest.sha256",
            "operator-token",
            "pki");
    assertThat(DirectorySnapshot.names(backup.resolve("pki")))
        .containsExactly("ca.key.encrypted.pem", "ca.pem");
    try (var files = Files.walk(backup)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.getPosixFilePermissions(f))
            .as(f.toString())
            .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      }
    }
    assertThat(Files.readString(backup.resolve("pki/ca.key.encrypted.pem")))
        .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        .doesNotContain("BEGIN PRIVATE KEY");
    assertThat(Files.exists(ControllerBackup.stagingFor(backup))).isFalse();

    // The disk dies: the state directory is gone.
    DurableFiles.deleteTree(state);
    RestoreResult restored =
        new ControllerRestore(
                "0.1.0",
                new CaKeyCipher(CaKeyCipher.DEFAULT_ITERATIONS),
                clock,
                "local:test",
                BackupProgress.SILENT)
            .restore(backup, state, passphrase(), false, false);
    assertThat(restored.movedAside()).isEmpty();
    assertThat(Files.readString(state.resolve("pki/ca.pem"))).isEqualTo(caPem);
    assertThat(Files.getPosixFilePermissions(state.resolve("pki/ca.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(state))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.exists(ControllerRestore.stagingFor(state))).isFalse();

    List<String> actions = new ArrayList<>();
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"))) {
      assertThat(new AuditVerifier().verify(c).intact()).isTrue();
      for (AuditRecord r : AuditLog.page(c, 0, 1000)) {
        actions.add(r.entry().action() + " " + r.entry().result());
      }
    }
    assertThat(actions).contains("controller.backup started").endsWith("controller.restore ok");

    try (RunningController ctl = RunningController.start(state)) {
      assertThat(ctl.operatorToken()).isEqualTo(operatorToken);
      // No re-enrolment: the old certificate still opens mTLS and the heartbeat is taken.
      FleetState.heartbeat(ctl, node, certificate);
      assertThat(
              ctl.operator()
                  .getNodeStatus(GetNodeStatusRequest.newBuilder().setNode("ceph-7").build())
                  .getNodeId())
          .isEqualTo(node.id);
    } finally {
      node.close();
    }
  }

  @Test
  void restoreRefusesARunningControllerAndAnOccupiedStateDirAndForceMovesItAside()
      throws Exception {
    Path state = dir.resolve("state");
    Path backup = dir.resolve("backup");
    ControllerRestore restore =
        new ControllerRestore(
            "0.1.0", new CaKeyCipher(10_000), clock, "local:test", BackupProgress.SILENT);
    try (RunningController ctl = RunningController.start(state)) {
      new ControllerBackup(
              "0.1.0", new CaKeyCipher(10_000), clock, "local:test", BackupProgress.SILENT)
          .backup(state, backup, passphrase());
      Map<String, String> before = DirectorySnapshot.of(state);

      assertThatThrownBy(() -> restore.restore(backup, state, passphrase(), true, false))
          .isInstanceOf(BackupException.class)
          .hasMessageContaining("a controller is running on " + state)
          .hasMessageContaining("controller pid " + ProcessHandle.current().pid());
      assertThat(DirectorySnapshot.of(state)).isEqualTo(before);
    }

    Map<String, String> stopped = new java.util.TreeMap<>(DirectorySnapshot.of(state));
    assertThatThrownBy(() -> restore.restore(backup, state, passphrase(), false, false))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining(state + " is not empty; pass --force");
    assertThat(DirectorySnapshot.of(state)).isEqualTo(stopped);

    RestoreResult dry = restore.restore(backup, state, passphrase(), true, true);
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.actions()).first().asString().startsWith("move the current state");
    assertThat(DirectorySnapshot.of(state)).isEqualTo(stopped);
    assertThat(DirectorySnapshot.names(dir))
        .containsExactlyInAnyOrder("backup", "passphrase", "state");

    RestoreResult forced = restore.restore(backup, state, passphrase(), true, false);
    Path aside = forced.movedAside().orElseThrow();
    // The lock file names the restore that held it; everything else is the old state unchanged.
    Map<String, String> movedAway = new java.util.TreeMap<>(DirectorySnapshot.of(aside));
    assertThat(movedAway.remove("controller.lock")).isNotNull();
    stopped.remove("controller.lock");
    assertThat(movedAway).isEqualTo(stopped);
    assertThat(Files.readString(state.resolve("operator-token"), StandardCharsets.UTF_8))
        .isEqualTo(Files.readString(aside.resolve("operator-token"), StandardCharsets.UTF_8));
    try (RunningController ctl = RunningController.start(state)) {
      assertThat(ctl.controller.address().getPort()).isPositive();
    }
  }
}
