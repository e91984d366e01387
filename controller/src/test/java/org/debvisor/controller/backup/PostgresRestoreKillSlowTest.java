package org.debvisor.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.debvisor.common.testing.Poll;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.state.RestoreJournal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of {@code debvisor restore --database-url} after pg_restore committed and before the
 * migration and the controller.restore audit entry: the test holds the advisory lock those last
 * steps take, so the kill lands exactly there. Then a controller refuses to start on the state
 * directory, another backup is refused without --force, and a re-run of the same command (no
 * --force) ends equal to an uninterrupted restore. Slow suite (-Ddebvisor.slow=true): JVMs of their
 * own.
 */
@ExtendWith(PostgresExtension.class)
class PostgresRestoreKillSlowTest {

  private static final int POLLS = 600;
  private static final long POLL_MS = 100;

  @TempDir Path dir;

  private final CaKeyCipher cipher = new CaKeyCipher(1_000);
  private PostgresInventoryFixture fixture;
  private PostgresServer server;

  @BeforeEach
  void slowSuite(PostgresServer server) throws Exception {
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "slow suite: -Ddebvisor.slow=true");
    this.server = server;
    fixture = new PostgresInventoryFixture(server, dir);
  }

  @Test
  void aRestoreKilledAfterTheLoadCommittedIsFinishedByARerun() throws Exception {
    Path backup = dir.resolve("pg-backup");
    backup(fixture.sharedCaInventory(), backup);
    PostgresUrl target = server.createDatabase();
    Path state = dir.resolve("restored-state");
    DebvisorProcess debvisor = debvisorOn(target, state);

    try (Connection holder = fixture.connect(target)) {
      try (PreparedStatement ps = holder.prepareStatement("SELECT pg_advisory_lock(?)")) {
        ps.setLong(1, PostgresInventory.RESTORE_LOCK);
        ps.execute();
      }
      DebvisorProcess.Started restore =
          debvisor.startUntil("restore: pg_restore into", "restore", "--path", backup.toString());
      await("the load committed and the restore waits for the test's lock", () -> waiting(target));
      restore.kill();
    }

    String halfRestored = fixture.contents(target);
    assertThat(halfRestored).as("pg_restore had committed").contains("ceph-1", "ceph-2");
    assertThat(actions(target)).doesNotContain("controller.restore");
    assertThat(RestoreJournal.read(state)).map(RestoreJournal::phase).contains("loaded");

    assertThatThrownBy(() -> RunningController.start(state))
        .hasMessageContaining("was interrupted")
        .hasMessageContaining("re-run `debvisor restore --path " + backup);

    Path other = dir.resolve("other-backup");
    backup(fixture.sharedCaInventory(), other);
    assertThat(debvisor.run("restore", "--path", other.toString()))
        .as("another backup is refused")
        .isEqualTo(2);
    assertThat(fixture.contents(target)).isEqualTo(halfRestored);

    assertThat(debvisor.run("restore", "--path", backup.toString())).isZero();

    PostgresUrl uninterrupted = server.createDatabase();
    Path uninterruptedState = dir.resolve("uninterrupted-state");
    assertThat(
            debvisorOn(uninterrupted, uninterruptedState)
                .run("restore", "--path", backup.toString()))
        .isZero();
    assertThat(fixture.contents(target)).isEqualTo(fixture.contents(uninterrupted));
    assertThat(actions(target)).isEqualTo(actions(uninterrupted));
    assertThat(actions(target).stream().filter(a -> a.equals("controller.restore")).count())
        .isEqualTo(1);
    try (Connection c = fixture.connect(target)) {
      AuditVerifier.Result chain = new AuditVerifier().verify(c);
      assertThat(chain.intact()).as(chain.problem()).isTrue();
    }
    assertThat(DirectorySnapshot.names(state))
        .isEqualTo(DirectorySnapshot.names(uninterruptedState))
        .doesNotContain(RestoreJournal.FILE_NAME);
  }

  private DebvisorProcess debvisorOn(PostgresUrl target, Path state) throws Exception {
    return new DebvisorProcess(
        List.of(
            "--database-url",
            "postgresql://"
                + target.user()
                + "@127.0.0.1:"
                + server.port()
                + "/"
                + target.database(),
            "--state-dir",
            state.toString(),
            "--passphrase-file",
            fixture.passphraseFile().toString()));
  }

  private void backup(PostgresUrl source, Path to) throws Exception {
    new PostgresBackup("0.2.0", cipher, Clock.systemUTC(), "local:test", BackupProgress.SILENT)
        .backup(source, fixture.stateDir(), to, fixture.passphrase());
  }

  /** Whether a session in {@code url}'s database waits for an advisory lock (the test's). */
  private boolean waiting(PostgresUrl url) {
    try (Connection c = fixture.connect(url);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                        + " AND database = (SELECT oid FROM pg_database"
                        + " WHERE datname = current_database())")) {
      rs.next();
      return rs.getLong(1) > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> actions(PostgresUrl url) throws SQLException {
    try (Connection c = fixture.connect(url)) {
      return AuditLog.page(c, 0, 1_000).stream()
          .map(AuditRecord::entry)
          .map(e -> e.action())
          .toList();
    }
  }

  /** Polls {@code condition} (bounded: {@value #POLLS} polls); fails naming what never happened. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.until(what, Duration.ofMillis(POLLS * POLL_MS), Duration.ofMillis(POLL_MS), condition);
  }
}
