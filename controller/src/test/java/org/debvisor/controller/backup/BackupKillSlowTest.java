package org.debvisor.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a {@code debvisor backup} and a {@code debvisor restore} process mid-way: no half
 * backup and no half state directory is left, and a re-run succeeds. Slow suite
 * (-Ddebvisor.slow=true): each case starts JVMs of its own.
 */
class BackupKillSlowTest {

  @TempDir Path dir;

  private Path state;
  private Path passphrase;
  private DebvisorProcess debvisor;

  @BeforeEach
  void controllerState() throws Exception {
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "slow suite: -Ddebvisor.slow=true");
    state = dir.resolve("state");
    passphrase = dir.resolve("passphrase");
    Files.writeString(passphrase, "correct horse battery staple\n");
    debvisor =
        new DebvisorProcess(
            List.of("--state-dir", state.toString(), "--passphrase-file", passphrase.toString()));
    TestNode node = new TestNode("0f1e2d3c4b5a69788796a5b4c3d2e1f0", "ceph-9");
    try (RunningController ctl = RunningController.start(state)) {
      FleetState.enrol(ctl, node);
    } finally {
      node.close();
    }
  }

  @Test
  void aKilledBackupLeavesNoBackupAndARerunWorks() throws Exception {
    Path target = dir.resolve("backup");
    List<String> seen =
        debvisor.runAndKillAt("backup: CA key", "backup", "--path", target.toString());
    assertThat(seen).anyMatch(l -> l.startsWith("backup: snapshot of controller.db"));
    assertThat(Files.exists(target)).as("a cut backup never appears at --path").isFalse();

    assertThat(debvisor.run("backup", "--path", target.toString())).isZero();
    assertThat(Files.exists(ControllerBackup.stagingFor(target))).isFalse();
    assertThat(DirectorySnapshot.names(target)).contains("manifest.json", "controller.db");
  }

  @Test
  void aKilledRestoreLeavesTheOldStateAndARerunWorks() throws Exception {
    Path backup = dir.resolve("backup");
    new ControllerBackup(
            "0.1.0",
            new CaKeyCipher(10_000),
            Clock.systemUTC(),
            "local:test",
            BackupProgress.SILENT)
        .backup(state, backup, Passphrase.read(passphrase));
    Map<String, String> before = DirectorySnapshot.of(state);
    before.remove("controller.lock");

    debvisor.runAndKillAt(
        "restore: write controller.db", "restore", "--path", backup.toString(), "--force");
    Map<String, String> after = new java.util.TreeMap<>(DirectorySnapshot.of(state));
    after.remove("controller.lock");
    assertThat(after)
        .as("killed while assembling: the state directory is untouched")
        .isEqualTo(before);

    assertThat(debvisor.run("restore", "--path", backup.toString(), "--force")).isZero();
    assertThat(Files.exists(ControllerRestore.stagingFor(state))).isFalse();
    try (RunningController ctl = RunningController.start(state)) {
      assertThat(ctl.controller.address().getPort()).isPositive();
    }
  }
}
