package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.proto.ConfigHistoryEntry;
import org.debvisor.proto.ConfigResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stops the engine dead at every step of an apply, commit and rollback (an Error the engine does
 * not catch, so nothing is cleaned up, as after a kill) and checks what a fresh store recovers.
 */
@Timeout(60)
class StepCrashTest {

  private static final class SimulatedCrash extends Error {
    SimulatedCrash(ApplyStep step) {
      super("simulated crash at " + step, null, false, false);
    }
  }

  /** Throws at the n-th time a step is reached once armed. */
  private static final class CrashAt implements ApplyStepListener {
    private final ApplyStep step;
    private final int occurrence;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger seen = new AtomicInteger();

    CrashAt(ApplyStep step, int occurrence) {
      this.step = step;
      this.occurrence = occurrence;
    }

    @Override
    public void reached(ApplyStep reached) {
      if (armed.get() && reached == step && seen.incrementAndGet() == occurrence) {
        throw new SimulatedCrash(reached);
      }
    }
  }

  enum Ending {
    COMMIT,
    ROLL_BACK
  }

  static List<Arguments> crashPoints() {
    List<Arguments> out = new ArrayList<>();
    var discarded = RecoveryOutcome.Action.DISCARDED;
    var rolledBack = RecoveryOutcome.Action.ROLLED_BACK;
    var committed = RecoveryOutcome.Action.COMMITTED;
    out.add(Arguments.of(Ending.COMMIT, ApplyStep.JOURNAL_WRITTEN, 1, discarded, null));
    out.add(Arguments.of(Ending.COMMIT, ApplyStep.DIRECTORY_CREATED, 1, discarded, null));
    out.add(Arguments.of(Ending.COMMIT, ApplyStep.DIRECTORY_CREATED, 2, discarded, null));
    for (int i = 1; i <= 3; i++) {
      out.add(Arguments.of(Ending.COMMIT, ApplyStep.FILE_STAGED, i, discarded, null));
    }
    out.add(
        Arguments.of(Ending.COMMIT, ApplyStep.FILE_SWITCHED, 1, rolledBack, "(1 of 3 switched)"));
    out.add(
        Arguments.of(Ending.COMMIT, ApplyStep.FILE_SWITCHED, 2, rolledBack, "(2 of 3 switched)"));
    String gate = "agent restarted before the health gate finished";
    out.add(Arguments.of(Ending.COMMIT, ApplyStep.FILE_SWITCHED, 3, rolledBack, gate));
    out.add(Arguments.of(Ending.COMMIT, ApplyStep.ALL_SWITCHED, 1, rolledBack, gate));
    out.add(Arguments.of(Ending.COMMIT, ApplyStep.COMMIT_RECORDED, 1, committed, null));
    out.add(Arguments.of(Ending.COMMIT, ApplyStep.CURRENT_WRITTEN, 1, committed, null));
    out.add(Arguments.of(Ending.COMMIT, ApplyStep.HISTORY_WRITTEN, 1, committed, null));
    out.add(Arguments.of(Ending.COMMIT, ApplyStep.BACKUPS_DROPPED, 1, committed, null));
    String failed = "gate failed: port 9 closed";
    out.add(Arguments.of(Ending.ROLL_BACK, ApplyStep.ROLLBACK_DECIDED, 1, rolledBack, failed));
    for (int i = 1; i <= 3; i++) {
      out.add(Arguments.of(Ending.ROLL_BACK, ApplyStep.FILE_RESTORED, i, rolledBack, failed));
    }
    out.add(Arguments.of(Ending.ROLL_BACK, ApplyStep.ALL_RESTORED, 1, rolledBack, failed));
    out.add(Arguments.of(Ending.ROLL_BACK, ApplyStep.HISTORY_WRITTEN, 1, rolledBack, failed));
    return out;
  }

  @Test
  void everyStepHasACrashPoint() {
    assertThat(crashPoints().stream().map(a -> a.get()[1]).distinct())
        .containsExactlyInAnyOrder((Object[]) ApplyStep.values());
  }

  @ParameterizedTest(name = "{0}: crash at {1} #{2} -> {3}")
  @MethodSource("crashPoints")
  void recoveryLeavesOneWholeVersion(
      Ending ending,
      ApplyStep step,
      int occurrence,
      RecoveryOutcome.Action expected,
      String reason,
      @TempDir Path base)
      throws Exception {
    Path root = Files.createDirectory(base.resolve("root"));
    Path state = base.resolve("state");
    ConfigSettings settings = TestBundles.settings(state, root);
    CrashScenario scenario = new CrashScenario(root);
    CrashAt crash = new CrashAt(step, occurrence);
    ConfigStore store =
        new ConfigStore(settings, Clock.systemUTC(), FileOwnership.forThisProcess(), crash);
    store.recover();
    store.apply(scenario.bundle("n0")).commit("setup");
    crash.armed.set(true);

    assertThatThrownBy(
            () -> {
              ApplyHandle handle = store.apply(scenario.bundle("w1"));
              if (ending == Ending.COMMIT) {
                handle.commit("controller");
              } else {
                handle.rollBack("controller", "gate failed: port 9 closed");
              }
            })
        .isInstanceOf(SimulatedCrash.class);

    ConfigStore restarted = new ConfigStore(settings, Clock.systemUTC());
    assertThatThrownBy(() -> restarted.apply(scenario.bundle("n2")))
        .as("no apply before recovery")
        .isInstanceOf(IllegalStateException.class);
    RecoveryOutcome outcome = restarted.recover();

    assertThat(outcome.action()).isEqualTo(expected);
    assertThat(outcome.version()).isEqualTo("w1");
    String active = expected == RecoveryOutcome.Action.COMMITTED ? "w1" : "n0";
    assertThat(restarted.current().getVersion()).isEqualTo(active);
    scenario.assertConsistent(restarted, state);
    ConfigHistoryEntry newest = restarted.history(1).get(0);
    if (expected == RecoveryOutcome.Action.ROLLED_BACK) {
      assertThat(newest.getVersion()).isEqualTo("w1");
      assertThat(newest.getReason()).contains(reason);
      assertThat(newest.getCaller())
          .isEqualTo(ending == Ending.COMMIT ? ConfigStore.RECOVERY_CALLER : "controller");
    } else if (expected == RecoveryOutcome.Action.COMMITTED) {
      assertThat(newest.getCaller()).isEqualTo("controller");
      assertThat(restarted.history(10)).filteredOn(e -> e.getVersion().equals("w1")).hasSize(1);
    } else {
      assertThat(newest.getVersion()).as("a discarded apply is recorded too").isEqualTo("w1");
      assertThat(newest.getResult()).isEqualTo(ConfigResult.CONFIG_ROLLED_BACK);
      assertThat(newest.getReason()).contains("while staging files");
      assertThat(newest.getCaller()).isEqualTo(ConfigStore.RECOVERY_CALLER);
    }
    assertThat(restarted.recover().action()).isEqualTo(RecoveryOutcome.Action.NOTHING_TO_DO);

    restarted.apply(scenario.bundle("w3")).commit("after");
    scenario.assertConsistent(restarted, state);
    assertThat(restarted.current().getVersion()).isEqualTo("w3");
  }

  @Test
  void killedAfterAnsweringBeforeTheCommitsTailIsWritten(@TempDir Path base) throws Exception {
    Path root = Files.createDirectory(base.resolve("root"));
    Path state = base.resolve("state");
    ConfigSettings settings = TestBundles.settings(state, root);
    CrashScenario scenario = new CrashScenario(root);
    ConfigStore store = new ConfigStore(settings, Clock.systemUTC());
    store.recover();
    store.apply(scenario.bundle("n0")).commit("setup");

    // As the RPC layer does; the process dies before it calls finishCommit().
    store.apply(scenario.bundle("w1")).commitLeavingTail("controller");

    ConfigStore restarted = new ConfigStore(settings, Clock.systemUTC());
    RecoveryOutcome outcome = restarted.recover();

    assertThat(outcome.action()).isEqualTo(RecoveryOutcome.Action.COMMITTED);
    assertThat(restarted.current().getVersion()).isEqualTo("w1");
    scenario.assertConsistent(restarted, state);
    assertThat(restarted.history(10)).filteredOn(e -> e.getVersion().equals("w1")).hasSize(1);
    assertThat(restarted.history(1).get(0).getCaller()).isEqualTo("controller");
  }
}
