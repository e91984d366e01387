package org.debvisor.controller.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.backup.BackupProgress;
import org.debvisor.controller.backup.BackupResult;
import org.debvisor.controller.backup.CaKeyCipher;
import org.debvisor.controller.backup.ControllerBackup;
import org.debvisor.controller.backup.ControllerRestore;
import org.debvisor.controller.backup.DirectorySnapshot;
import org.debvisor.controller.backup.Passphrase;
import org.debvisor.controller.backup.RestoreResult;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.LatestSchema;
import org.debvisor.controller.inventory.SqlDialect;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.state.StateLock;
import org.debvisor.proto.GetNodeStatusRequest;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The rollback of a controller upgrade (docs/upgrades.md, "Rollback"): a backup of the previous
 * release's state keeps its schema and restores migrated to this build's; a newer controller then
 * migrates the database further, this controller refuses it and changes nothing, and the restore of
 * the backup brings this controller back.
 */
class DowngradeByRestoreTest {

  private static final String LOCK = StateLock.FILE_NAME;

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();

  @Test
  void aBackupOfThePreviousReleaseMigratesOnRestoreAndBringsThisControllerBackFromANewerSchema()
      throws Exception {
    PreviousRelease old = PreviousRelease.copyTo(dir);
    Path backup = dir.resolve("before-upgrade");
    // The previous release's controller is stopped (its package is being upgraded): the backup
    // reads the database as that release left it, without migrating it.
    BackupResult taken = backup().backup(old.controllerState(), backup, passphrase());
    assertThat(taken.manifest().schemaVersion()).isEqualTo(old.fact("schema"));
    assertThat(taken.manifest().nodes()).isEqualTo(1);
    assertThat(
            ControllerUpgradeFromPreviousReleaseTest.appliedSchema(
                old.controllerState().resolve("controller.db")))
        .as("the backup migrated nothing")
        .isEqualTo(old.fact("schema"));

    // Restored by this build: migrated to its schema.
    Path state = dir.resolve("state");
    RestoreResult first = restore().restore(backup, state, passphrase(), false, false);
    assertThat(first.schemaFrom()).isEqualTo(old.fact("schema"));
    assertThat(first.schemaTo()).isEqualTo(LatestSchema.version());
    assertThat(
            ControllerUpgradeFromPreviousReleaseTest.appliedSchema(state.resolve("controller.db")))
        .isEqualTo(LatestSchema.version());

    // The next release starts on the same directory and migrates the database further.
    SQLiteDataSource raw = new SQLiteDataSource();
    raw.setUrl("jdbc:sqlite:" + state.resolve("controller.db"));
    List<String> newer = new ArrayList<>(SqlDialect.SQLITE.migrationLocations());
    newer.add("classpath:db/future");
    Flyway.configure().dataSource(raw).locations(newer.toArray(String[]::new)).load().migrate();
    Map<String, String> migrated = withoutLock(DirectorySnapshot.of(state));

    // Its package is downgraded to this build: this controller refuses the newer database.
    assertThatThrownBy(() -> RunningController.start(state).close())
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("knows versions up to " + LatestSchema.version())
        .hasMessageContaining("restore a backup taken before that upgrade")
        .hasMessageContaining("nothing was changed");
    assertThat(withoutLock(DirectorySnapshot.of(state))).isEqualTo(migrated);

    // The documented way back: restore the backup over the newer state, which is kept aside.
    RestoreResult back = restore().restore(backup, state, passphrase(), true, false);
    Path aside = back.movedAside().orElseThrow();
    assertThat(withoutLock(DirectorySnapshot.of(aside))).isEqualTo(migrated);
    assertThat(back.schemaTo()).isEqualTo(LatestSchema.version());
    try (RunningController ctl = RunningController.start(state)) {
      assertThat(
              ctl.operator()
                  .getNodeStatus(
                      GetNodeStatusRequest.newBuilder().setNode(PreviousRelease.NODE_ID).build())
                  .getCertificateSerial())
          .isEqualTo(old.fact("node.serial"));
    }
    assertChainIntact(state);
  }

  private static Map<String, String> withoutLock(Map<String, String> files) {
    Map<String, String> copy = new TreeMap<>(files);
    copy.remove(LOCK);
    return copy;
  }

  private static void assertChainIntact(Path state) throws Exception {
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"))) {
      AuditVerifier.Result verified = new AuditVerifier().verify(c);
      assertThat(verified.intact()).as(verified.problem()).isTrue();
    }
  }

  private Passphrase passphrase() throws Exception {
    Path file = dir.resolve("passphrase");
    Files.writeString(file, "correct horse battery staple\n");
    return Passphrase.read(file);
  }

  private ControllerBackup backup() {
    return new ControllerBackup(
        "0.2.0", new CaKeyCipher(10_000), clock, "local:test", BackupProgress.SILENT);
  }

  private ControllerRestore restore() {
    return new ControllerRestore(
        "0.2.0", new CaKeyCipher(10_000), clock, "local:test", BackupProgress.SILENT);
  }
}
