package org.debvisor.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.state.RestoreJournal;
import org.debvisor.controller.state.UnfinishedRestore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL restore interrupted at each of its steps, on a real PostgreSQL with the real
 * pg_restore: the test leaves exactly what a SIGKILL at that point leaves (the journal, the dump
 * loaded or not, the audit entry or not), then checks that a controller refuses to start there,
 * that another backup is refused without --force, and that a re-run of the same restore ends equal
 * to an uninterrupted one. All three points run in the slow suite (-Ddebvisor.slow=true; about 20
 * s, over the default suite's budget), as does the SIGKILL itself: PostgresRestoreKillSlowTest. The
 * default suite keeps UnfinishedRestoreTest (the journal and the serve refusal).
 */
@ExtendWith(PostgresExtension.class)
class PostgresRestoreResumeTest {

  private static final String SLOW = "slow";

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();
  private final CaKeyCipher cipher = new CaKeyCipher(1_000);
  private PostgresInventoryFixture fixture;
  private Path backup;
  private PostgresUrl target;
  private Path state;

  @BeforeEach
  void backupAndEmptyTarget(PostgresServer server, TestInfo test) throws Exception {
    // Before the backup, so a skipped variant costs nothing.
    assumeTrue(
        !test.getTags().contains(SLOW) || Boolean.getBoolean("debvisor.slow"),
        "slow suite: -Ddebvisor.slow=true");
    fixture = new PostgresInventoryFixture(server, dir);
    PostgresUrl source = fixture.sharedCaInventory();
    backup = dir.resolve("backup");
    backup(source, backup);
    target = server.createDatabase();
    state = dir.resolve("restored-state");
  }

  @Test
  @Tag(SLOW)
  void killedAfterTheLoadCommittedRefusesToServeAndARerunFinishesIt() throws Exception {
    // What a kill between pg_restore's commit and the migration leaves.
    Files.createDirectories(state);
    journal(RestoreJournal.LOADING, new PostgresInventory(target).fingerprint()).write(state);
    PostgresClientTools.find().restore(target, backup.resolve(PostgresBackup.DUMP), false);
    String halfRestored = fixture.contents(target);
    assertThat(actions(target)).doesNotContain("controller.restore");

    assertThatThrownBy(() -> RunningController.start(state))
        .hasMessageContaining("was interrupted")
        .hasMessageContaining("re-run `debvisor restore --path " + backup.toAbsolutePath());
    assertThat(Files.exists(state.resolve(StateLayout.DATABASE)))
        .as("the refused controller made no database")
        .isFalse();

    Path other = dir.resolve("other-backup");
    backup(fixture.sharedCaInventory(), other);
    assertThatThrownBy(() -> restore(other, false))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("holds an unfinished restore of " + backup.toAbsolutePath())
        .hasMessageContaining("--force");
    assertThat(fixture.contents(target)).isEqualTo(halfRestored);
    assertThat(RestoreJournal.read(state)).map(RestoreJournal::phase).contains("loading");

    restore(backup, false);

    assertFinishedLikeAnUninterruptedRestore();
  }

  @Test
  @Tag(SLOW)
  void killedBeforeTheLoadCommittedLoadsOnRerun() throws Exception {
    Files.createDirectories(state);
    journal(RestoreJournal.LOADING, new PostgresInventory(target).fingerprint()).write(state);
    assertThat(fixture.tables(target)).isZero();

    restore(backup, false);

    assertFinishedLikeAnUninterruptedRestore();
  }

  @Test
  @Tag(SLOW)
  void killedAfterTheAuditEntryDoesNotAppendASecond() throws Exception {
    restore(backup, false);
    // What a kill before the state files and the journal's removal leaves.
    journal(RestoreJournal.LOADED, "tables=").write(state);
    Files.delete(state.resolve(StateLayout.OPERATOR_TOKEN));

    restore(backup, false);

    assertFinishedLikeAnUninterruptedRestore();
  }

  private void assertFinishedLikeAnUninterruptedRestore() throws Exception {
    PostgresUrl uninterrupted = fixture.server().createDatabase();
    Path uninterruptedState = dir.resolve("uninterrupted-state");
    new PostgresRestore("0.2.0-SNAPSHOT", cipher, clock, "local:test", step -> {})
        .restore(backup, uninterrupted, uninterruptedState, fixture.passphrase(), false, false);

    assertThat(fixture.contents(target)).isEqualTo(fixture.contents(uninterrupted));
    assertThat(actions(target)).isEqualTo(actions(uninterrupted));
    assertThat(actions(target).stream().filter(a -> a.equals("controller.restore")).count())
        .isEqualTo(1);
    try (Connection c = fixture.connect(target)) {
      AuditVerifier.Result chain = new AuditVerifier().verify(c);
      assertThat(chain.intact()).as(chain.problem()).isTrue();
    }
    assertThat(DirectorySnapshot.names(state))
        .isEqualTo(DirectorySnapshot.names(uninterruptedState));
    assertThat(Files.readString(state.resolve(StateLayout.OPERATOR_TOKEN)))
        .isEqualTo(PostgresInventoryFixture.OPERATOR_TOKEN);
    assertThat(UnfinishedRestore.in(state)).isEmpty();
  }

  private RestoreJournal journal(String phase, String targetBefore) throws Exception {
    return new RestoreJournal(
        backup.toAbsolutePath().toString(),
        Sha256.hex(backup.resolve(BackupManifest.FILE_NAME)),
        target.redacted(),
        targetBefore,
        phase);
  }

  private List<String> actions(PostgresUrl url) throws Exception {
    try (Connection c = fixture.connect(url)) {
      return AuditLog.page(c, 0, 1_000).stream()
          .map(AuditRecord::entry)
          .map(e -> e.action())
          .toList();
    }
  }

  private void backup(PostgresUrl source, Path to) throws Exception {
    new PostgresBackup("0.2.0-SNAPSHOT", cipher, clock, "local:test", step -> {})
        .backup(source, fixture.stateDir(), to, fixture.passphrase());
  }

  private void restore(Path from, boolean force) throws Exception {
    new PostgresRestore("0.2.0-SNAPSHOT", cipher, clock, "local:test", step -> {})
        .restore(from, target, state, fixture.passphrase(), force, false);
  }
}
