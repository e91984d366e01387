package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.debvisor.agentapi.ConfigSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link ApplyCrashHarness} in a separate JVM, SIGKILLs it after a random delay, and checks
 * that recovery leaves every file entirely of one version, matching the active version and the
 * history. Every fourth kill is not followed by an in-process recovery, so the next harness
 * recovers itself and may be killed while doing so.
 *
 * <p>The default suite kills 8 harnesses (one of them left for the next harness to recover) and
 * checks each recovery; {@link StepCrashTest} covers every step deterministically in-process. The
 * slow suite ({@code -Ddebvisor.slow=true}) kills 50 and also demands that the kills landed before,
 * during and after the switch.
 */
class ApplyCrashTest {

  private static final boolean SLOW = Boolean.getBoolean("debvisor.slow");
  // Each iteration is a JVM start (~3 s while the rest of the default suite runs). Every kill is
  // checked the same way, so more random kills in the default suite add no other kind of check.
  private static final int ITERATIONS = SLOW ? 50 : 8;
  private static final int MAX_KILL_DELAY_MILLIS = 150;

  @TempDir Path base;

  @Test
  // A hang guard, not a speed check: 50 JVM starts take ~40 s on a quiet 2-core machine and over
  // 180 s while the rest of the suite runs beside them.
  @Timeout(900)
  void everyKillLeavesOneWholeVersion() throws Exception {
    Path root = Files.createDirectory(base.resolve("root"));
    Path state = base.resolve("state");
    ConfigSettings settings = TestBundles.settings(state, root);
    CrashScenario scenario = new CrashScenario(root);
    ConfigStore setup = new ConfigStore(settings, Clock.systemUTC());
    setup.recover();
    setup.apply(scenario.bundle("n-base")).commit("setup");

    Random random = new Random(20240601L);
    Map<String, Integer> killedAfter = new TreeMap<>();
    Map<RecoveryOutcome.Action, Integer> recoveries = new EnumMap<>(RecoveryOutcome.Action.class);
    for (int i = 0; i < ITERATIONS; i++) {
      Run run =
          runAndKill(state, root, i, random.nextLong(), random.nextInt(MAX_KILL_DELAY_MILLIS));
      killedAfter.merge(run.lastLine(), 1, Integer::sum);
      run.recovered().ifPresent(action -> recoveries.merge(action, 1, Integer::sum));
      boolean leaveItToTheNextHarness = i % 4 == 3 && i < ITERATIONS - 1;
      if (leaveItToTheNextHarness) {
        continue;
      }
      ConfigStore restarted = new ConfigStore(settings, Clock.systemUTC());
      RecoveryOutcome outcome = restarted.recover();
      recoveries.merge(outcome.action(), 1, Integer::sum);
      scenario.assertConsistent(restarted, state);
      assertThat(restarted.recover().action()).isEqualTo(RecoveryOutcome.Action.NOTHING_TO_DO);
    }
    System.out.println("kills landed after: " + killedAfter);
    System.out.println("recoveries (in-process and by the next harness): " + recoveries);

    if (!SLOW) {
      // A few random kills do not reliably reach every outcome; each one was checked above.
      assertThat(killedAfter.values().stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(ITERATIONS);
      return;
    }
    assertThat(recoveries)
        .as("kills interrupted applies before, during and after the switch: %s", recoveries)
        .containsKeys(
            RecoveryOutcome.Action.DISCARDED,
            RecoveryOutcome.Action.ROLLED_BACK,
            RecoveryOutcome.Action.COMMITTED);
  }

  /**
   * What one harness printed.
   *
   * @param lastLine the last step it reported before the kill
   * @param recovered what its own start-up recovery did, if it got that far and found work
   */
  private record Run(String lastLine, Optional<RecoveryOutcome.Action> recovered) {}

  /** Starts the harness and kills it {@code delayMillis} after it is ready. */
  private Run runAndKill(Path state, Path root, int iteration, long seed, int delayMillis)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m", "-Xshare:auto"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(ApplyCrashHarness.class.getName());
    command.addAll(
        List.of(
            state.toString(),
            root.toString(),
            "i" + iteration,
            Long.toString(seed),
            base.resolve("warm-" + iteration).toString()));
    Path errors = base.resolve("harness-" + iteration + ".err");
    Process harness = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    CountDownLatch ready = new CountDownLatch(1);
    AtomicReference<String> last = new AtomicReference<>("(nothing)");
    AtomicReference<RecoveryOutcome.Action> recovered = new AtomicReference<>();
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (BufferedReader lines =
                      new BufferedReader(
                          new InputStreamReader(
                              harness.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                      last.set(line);
                      if (line.startsWith("RECOVERED ")) {
                        recovered.set(
                            RecoveryOutcome.Action.valueOf(line.substring("RECOVERED ".length())));
                      }
                      if (line.equals("READY")) {
                        ready.countDown();
                      }
                    }
                  } catch (IOException e) {
                    // The pipe breaks when the process is killed.
                  }
                });
    try {
      boolean started = ready.await(30, TimeUnit.SECONDS);
      assertThat(started)
          .as("harness %d ready; stderr: %s", iteration, Files.readString(errors))
          .isTrue();
      Thread.sleep(delayMillis);
      assertThat(harness.isAlive())
          .as(
              "harness %d still running when killed; stderr: %s",
              iteration, Files.readString(errors))
          .isTrue();
    } finally {
      harness.destroyForcibly();
      assertThat(harness.waitFor(20, TimeUnit.SECONDS)).as("harness died").isTrue();
      reader.join(5_000);
    }
    assertThat(harness.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    Optional<RecoveryOutcome.Action> ownRecovery =
        Optional.ofNullable(recovered.get())
            .filter(action -> action != RecoveryOutcome.Action.NOTHING_TO_DO);
    return new Run(last.get(), ownRecovery);
  }
}
