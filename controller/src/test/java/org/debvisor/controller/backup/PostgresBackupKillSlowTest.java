package org.debvisor.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.debvisor.common.testing.Poll;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of {@code debvisor backup --database-url} while pg_dump runs and of {@code debvisor
 * restore --database-url --force} while pg_restore loads: the tool dies with the JVM, no backup
 * appears at --path, the old database is left as it was and usable, and a re-run succeeds. The test
 * holds a lock pg_dump or pg_restore needs, so the kill lands while the tool is inside the database
 * rather than before or after it. Slow suite (-Ddebvisor.slow=true): JVMs of their own.
 */
@ExtendWith(PostgresExtension.class)
class PostgresBackupKillSlowTest {

  private static final int POLLS = 600;
  private static final long POLL_MS = 100;

  @TempDir Path dir;

  private PostgresInventoryFixture fixture;
  private PostgresUrl live;
  private DebvisorProcess debvisor;

  @BeforeEach
  void inventory(PostgresServer server) throws Exception {
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "slow suite: -Ddebvisor.slow=true");
    fixture = new PostgresInventoryFixture(server, dir);
    live = fixture.sharedCaInventory();
    debvisor =
        new DebvisorProcess(
            List.of(
                "--database-url",
                "postgresql://"
                    + live.user()
                    + "@127.0.0.1:"
                    + server.port()
                    + "/"
                    + live.database(),
                "--state-dir",
                fixture.stateDir().toString(),
                "--passphrase-file",
                fixture.passphraseFile().toString()));
  }

  @Test
  void aBackupKilledDuringPgDumpLeavesNoBackupAndARerunWorks() throws Exception {
    Path target = dir.resolve("pg-backup");
    Path staging = ControllerBackup.stagingFor(target);
    try (Connection blocker = fixture.connect(live)) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE certificates IN ACCESS EXCLUSIVE MODE");
      }
      DebvisorProcess.Started backup =
          debvisor.startUntil("backup: pg_dump of", "backup", "--path", target.toString());
      await("pg_dump waits for the test's lock", () -> waiting("pg_dump"));
      backup.kill();
      await("pg_dump died with the backup", () -> !anyProcessMentions(staging.toString()));
      blocker.rollback();
    }
    await("pg_dump's session is gone", () -> !sessionOf("pg_dump"));

    assertThat(Files.exists(target)).as("a cut backup never appears at --path").isFalse();
    assertThat(lastAuditResult())
        .as("the backup's start was audited, no outcome")
        .isEqualTo("started");

    assertThat(debvisor.run("backup", "--path", target.toString())).isZero();
    assertThat(Files.exists(staging)).as("the re-run removed the cut staging").isFalse();
    assertThat(DirectorySnapshot.names(target)).contains("manifest.json", PostgresBackup.DUMP);
    assertThat(lastAuditResult()).isEqualTo("ok");
  }

  @Test
  void aRestoreKilledDuringPgRestoreLeavesTheOldDatabaseAndARerunWorks() throws Exception {
    Path backup = dir.resolve("pg-backup");
    new PostgresBackup(
            "0.2.0", new CaKeyCipher(1_000), Clock.systemUTC(), "local:test", BackupProgress.SILENT)
        .backup(live, fixture.stateDir(), backup, fixture.passphrase());
    // Written after the backup: what the old database has and the backup lacks.
    fixture.addNode(live, "node-c", "ceph-3");
    String before = fixture.contents(live);
    Path dump = backup.resolve(PostgresBackup.DUMP);

    try (Connection blocker = fixture.connect(live)) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("LOCK TABLE certificates IN ACCESS SHARE MODE");
      }
      DebvisorProcess.Started restore =
          debvisor.startUntil(
              "restore: pg_restore into", "restore", "--path", backup.toString(), "--force");
      await("pg_restore waits for the test's lock", () -> waiting("pg_restore"));
      restore.kill();
      await("pg_restore died with the restore", () -> !anyProcessMentions(dump.toString()));
      blocker.rollback();
    }
    await("pg_restore's session is gone", () -> !sessionOf("pg_restore"));

    assertThat(fixture.contents(live)).as("the old database, as it was").isEqualTo(before);
    assertThat(fixture.contents(live)).contains("ceph-3");
    try (Connection c = fixture.connect(live)) {
      AuditVerifier.Result chain = new AuditVerifier().verify(c);
      assertThat(chain.intact()).as(chain.problem()).isTrue();
    }

    assertThat(debvisor.run("restore", "--path", backup.toString(), "--force")).isZero();
    assertThat(fixture.contents(live)).doesNotContain("ceph-3").contains("ceph-1", "ceph-2");
    try (Connection c = fixture.connect(live)) {
      AuditVerifier.Result chain = new AuditVerifier().verify(c);
      assertThat(chain.intact()).as(chain.problem()).isTrue();
      List<AuditRecord> audit = AuditLog.page(c, 0, 1_000);
      assertThat(audit).last().extracting(r -> r.entry().action()).isEqualTo("controller.restore");
    }
  }

  /** Whether a session of {@code application} waits for a lock (the test's). */
  private boolean waiting(String application) {
    return query(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '"
            + application
            + "' AND wait_event_type = 'Lock'");
  }

  private boolean sessionOf(String application) {
    return query(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '" + application + "'");
  }

  private boolean query(String countSql) {
    try (Connection c = fixture.connect(live);
        ResultSet rs = c.createStatement().executeQuery(countSql)) {
      rs.next();
      return rs.getLong(1) > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String lastAuditResult() throws SQLException {
    try (Connection c = fixture.connect(live);
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT result FROM audit_log WHERE action = 'controller.backup'"
                        + " ORDER BY seq DESC LIMIT 1")) {
      return rs.next() ? rs.getString(1) : "none";
    }
  }

  /** Whether a live process has {@code text} in its command line (zombies have none). */
  private static boolean anyProcessMentions(String text) {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .anyMatch(p -> commandLine(p).contains(text));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String commandLine(Path proc) {
    try {
      return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // the process ended while we looked
    }
  }

  /** Polls {@code condition} (bounded: {@value #POLLS} polls); fails naming what never happened. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.until(what, Duration.ofMillis(POLLS * POLL_MS), Duration.ofMillis(POLL_MS), condition);
  }
}
