package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.proto.ConfigHistoryEntry;
import org.debvisor.proto.ConfigResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A real process dies in the middle of an update ({@link RecoveryHarness}, SIGKILLed in the gate
 * window or halted while staging); the restarted update path restores the previous files, reloads
 * what the interrupted apply had reloaded, and records the recovery in the history and one log
 * line.
 */
@Timeout(120)
class CrashRecoveryTest {

  @TempDir Path base;
  private Path root;
  private Path state;
  private Path reloads;
  private ConfigSettings settings;
  private CrashScenario scenario;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(ConfigUpdater.class);

  @BeforeEach
  void baseline() throws Exception {
    root = Files.createDirectory(base.resolve("root"));
    state = base.resolve("state");
    reloads = base.resolve("reloads.log");
    settings = RecoveryHarness.settings(state, root, reloads);
    scenario = new CrashScenario(root);
    ConfigStore setup = new ConfigStore(settings, Clock.systemUTC());
    setup.recover();
    setup.apply(scenario.bundle("n1")).commit("setup");
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(logs);
  }

  @Test
  void killedInTheGateWindowRestoresTheFilesAndReloadsTheServices() throws Exception {
    Process harness = start(List.of());
    List<String> steps = await(harness, () -> reloadCount() == 1);
    harness.destroyForcibly();
    assertThat(harness.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(harness.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(steps).doesNotContain("DONE");
    assertThat(Files.readString(root.resolve("a.conf"))).startsWith("version=w2\n");

    ConfigStore store = new ConfigStore(settings, Clock.systemUTC());
    RecoveryOutcome outcome = RecoveryHarness.updater(settings, store).recover();

    assertThat(outcome.action()).isEqualTo(RecoveryOutcome.Action.ROLLED_BACK);
    assertThat(Files.readAllLines(reloads))
        .as("reloaded once by the apply, once more after the files were restored")
        .containsExactly(RecoveryHarness.UNIT, RecoveryHarness.UNIT);
    assertThat(store.current().getVersion()).isEqualTo("n1");
    scenario.assertConsistent(store, state);
    ConfigHistoryEntry newest = store.history(1).get(0);
    assertThat(newest.getResult()).isEqualTo(ConfigResult.CONFIG_ROLLED_BACK);
    assertThat(newest.getVersion()).isEqualTo("w2");
    assertThat(newest.getReason()).contains("before the health gate finished");
    assertThat(recoveryLines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("rolled back w2 to n1")
                    .contains("reloaded " + RecoveryHarness.UNIT));
  }

  @Test
  void dyingWhileStagingIsRecordedAndReloadsNothing() throws Exception {
    Process harness = start(List.of("--halt-at", "FILE_STAGED"));
    List<String> steps = await(harness, () -> false);
    assertThat(harness.exitValue()).as("halted on the spot").isEqualTo(137);
    assertThat(steps).endsWith("FILE_STAGED");
    assertThat(TestBundles.unfinishedJournals(state)).hasSize(1);

    ConfigStore store = new ConfigStore(settings, Clock.systemUTC());
    RecoveryOutcome outcome = RecoveryHarness.updater(settings, store).recover();

    assertThat(outcome.action()).isEqualTo(RecoveryOutcome.Action.DISCARDED);
    assertThat(reloads).as("no file had changed, so no service is reloaded").doesNotExist();
    scenario.assertConsistent(store, state);
    assertThat(store.current().getVersion()).isEqualTo("n1");
    ConfigHistoryEntry newest = store.history(1).get(0);
    assertThat(newest.getResult()).isEqualTo(ConfigResult.CONFIG_ROLLED_BACK);
    assertThat(newest.getVersion()).isEqualTo("w2");
    assertThat(newest.getPreviousVersion()).isEqualTo("n1");
    assertThat(newest.getCaller()).isEqualTo(ConfigStore.RECOVERY_CALLER);
    assertThat(newest.getReason()).contains("while staging");
    assertThat(recoveryLines()).singleElement().asString().contains("discarded").contains("w2");
  }

  private List<String> recoveryLines() {
    return logs.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("configuration recovery"))
        .toList();
  }

  private int reloadCount() {
    try {
      return Files.exists(reloads) ? Files.readAllLines(reloads).size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private Process start(List<String> extra) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(RecoveryHarness.class.getName());
    command.addAll(List.of(state.toString(), root.toString(), reloads.toString(), "n1"));
    command.addAll(extra);
    return new ProcessBuilder(command).redirectError(base.resolve("harness.err").toFile()).start();
  }

  /**
   * The steps the harness printed until {@code reached} holds (then it is still running) or it
   * exited; at most 60 s.
   */
  private List<String> await(Process harness, java.util.function.BooleanSupplier reached)
      throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(
                              harness.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = in.readLine(); l != null; l = in.readLine()) {
                      lines.add(l);
                    }
                  } catch (IOException e) {
                    // The pipe breaks when the process dies.
                  }
                });
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end && harness.isAlive() && !reached.getAsBoolean()) {
      Thread.sleep(20);
    }
    if (harness.isAlive() && !reached.getAsBoolean()) {
      harness.destroyForcibly();
      throw new AssertionError(
          "harness neither got there nor exited; stderr: "
              + Files.readString(base.resolve("harness.err")));
    }
    if (!harness.isAlive()) {
      reader.join(5_000);
    }
    return lines;
  }
}
