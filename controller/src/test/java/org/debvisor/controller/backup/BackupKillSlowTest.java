package org.debvisor.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

  @BeforeEach
  void controllerState() throws Exception {
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "slow suite: -Ddebvisor.slow=true");
    state = dir.resolve("state");
    passphrase = dir.resolve("passphrase");
    Files.writeString(passphrase, "correct horse battery staple\n");
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
    List<String> seen = runAndKillAt("backup: CA key", "backup", "--path", target.toString());
    assertThat(seen).anyMatch(l -> l.startsWith("backup: snapshot of controller.db"));
    assertThat(Files.exists(target)).as("a cut backup never appears at --path").isFalse();

    assertThat(run("backup", "--path", target.toString())).isZero();
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

    runAndKillAt("restore: write controller.db", "restore", "--path", backup.toString(), "--force");
    Map<String, String> after = new java.util.TreeMap<>(DirectorySnapshot.of(state));
    after.remove("controller.lock");
    assertThat(after)
        .as("killed while assembling: the state directory is untouched")
        .isEqualTo(before);

    assertThat(run("restore", "--path", backup.toString(), "--force")).isZero();
    assertThat(Files.exists(ControllerRestore.stagingFor(state))).isFalse();
    try (RunningController ctl = RunningController.start(state)) {
      assertThat(ctl.controller.address().getPort()).isPositive();
    }
  }

  private ProcessBuilder command(String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "org.debvisor.controller.DebvisorMain"));
    command.addAll(List.of(args));
    command.addAll(
        List.of("--state-dir", state.toString(), "--passphrase-file", passphrase.toString()));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  private int run(String... args) throws Exception {
    Process p = command(args).start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
    return p.exitValue();
  }

  /** Starts the command and SIGKILLs it when it prints a line starting with {@code marker}. */
  private List<String> runAndKillAt(String marker, String... args) throws Exception {
    Process p = command(args).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
        if (line.startsWith(marker)) {
          p.destroyForcibly();
          break;
        }
        if (lines.size() > 200) {
          break;
        }
      }
    } finally {
      p.destroyForcibly();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(lines).as("the process reached " + marker).anyMatch(l -> l.startsWith(marker));
    return lines;
  }
}
