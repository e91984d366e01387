package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.proto.ConfigResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a power cut can leave that a kill cannot: the changes a commit writes without waiting for
 * the disk (the switch's renames, {@code current.json}, the history line) lost while the fsynced
 * journal survives, and a journal whose first line was cut short. The disk is put in that state by
 * hand, then a fresh store recovers it.
 */
@Timeout(60)
class PowerCutTest {

  private static final class StopAt implements ApplyStepListener {
    private final ApplyStep step;
    private volatile boolean armed;

    StopAt(ApplyStep step) {
      this.step = step;
    }

    @Override
    public void reached(ApplyStep reached) {
      if (armed && reached == step) {
        throw new IllegalStateException("stopped at " + step);
      }
    }
  }

  @TempDir Path base;
  private Path root;
  private Path state;
  private ConfigSettings settings;
  private CrashScenario scenario;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectory(base.resolve("root"));
    state = base.resolve("state");
    settings = TestBundles.settings(state, root);
    scenario = new CrashScenario(root);
  }

  @Test
  void aCommitWhoseLaterWritesWereLostIsFinishedFromItsJournal() throws Exception {
    StopAt stop = new StopAt(ApplyStep.COMMIT_RECORDED);
    ConfigStore store =
        new ConfigStore(settings, Clock.systemUTC(), FileOwnership.forThisProcess(), stop);
    store.recover();
    store.apply(scenario.bundle("n0")).commit("setup");
    List<String> historyBefore = Files.readAllLines(state.resolve("history.jsonl"));
    String currentBefore = Files.readString(state.resolve("current.json"));
    stop.armed = true;
    ApplyHandle handle = store.apply(scenario.bundle("n1"));
    assertThatThrownBy(() -> handle.commit("controller")).hasMessageContaining("COMMIT_RECORDED");
    // The commit line is on disk; suppose nothing written after it without an fsync is: the
    // switch of a.conf undone (its staged file back, the old file at the target) ...
    JournalRecord record = TestBundles.journals(state).entries().getLast().record();
    JournalRecord.JournalFile a = record.files().get(0);
    Files.move(a.targetPath(), a.stagedPath());
    Files.createLink(a.targetPath(), a.backupPath());
    // ... current.json emptied (its rename reached the disk, its content did not) ...
    Files.writeString(state.resolve("current.json"), "");
    // ... and the history line gone.
    Files.write(state.resolve("history.jsonl"), historyBefore);
    assertThat(currentBefore).contains("n0");

    ConfigStore restarted = new ConfigStore(settings, Clock.systemUTC());
    RecoveryOutcome outcome = restarted.recover();

    assertThat(outcome.action()).isEqualTo(RecoveryOutcome.Action.COMMITTED);
    assertThat(outcome.version()).isEqualTo("n1");
    assertThat(restarted.current().getVersion()).isEqualTo("n1");
    scenario.assertConsistent(restarted, state);
    assertThat(restarted.history(10))
        .filteredOn(e -> e.getResult() == ConfigResult.CONFIG_APPLIED)
        .extracting(e -> e.getVersion())
        .containsExactly("n1", "n0");
    assertThat(new ConfigStore(settings, Clock.systemUTC()).current().getVersion())
        .as("current.json rewritten durably")
        .isEqualTo("n1");
  }

  /**
   * current.json is overwritten in place after the commit point, unsynced: a power cut can leave
   * the previous record, the new one with the old one's tail after it, or a mixture of both.
   */
  @Test
  void whateverAnInPlaceRewriteOfCurrentJsonLeftTheCommittedJournalWins() throws Exception {
    for (int left = 0; left < 4; left++) {
      Path caseRoot = Files.createDirectory(base.resolve("root-" + left));
      Path caseState = base.resolve("state-" + left);
      ConfigSettings caseSettings = TestBundles.settings(caseState, caseRoot);
      CrashScenario caseScenario = new CrashScenario(caseRoot);
      ConfigStore store = new ConfigStore(caseSettings, Clock.systemUTC());
      store.recover();
      store.apply(caseScenario.bundle("n0-with-a-longer-version-name")).commit("setup");
      byte[] previous = Files.readAllBytes(caseState.resolve("current.json"));
      store.apply(caseScenario.bundle("n1")).commit("controller");
      byte[] committed = Files.readAllBytes(caseState.resolve("current.json"));
      assertThat(committed.length).isLessThan(previous.length);
      assertThat(TestBundles.committedJournals(caseState)).hasSize(1);
      Files.write(caseState.resolve("current.json"), leftByPowerCut(left, previous, committed));

      ConfigStore restarted = new ConfigStore(caseSettings, Clock.systemUTC());
      restarted.recover();

      assertThat(restarted.current().getVersion()).as("case %d", left).isEqualTo("n1");
      caseScenario.assertConsistent(restarted, caseState);
      assertThat(restarted.history(10)).hasSize(2);
      assertThat(new ConfigStore(caseSettings, Clock.systemUTC()).current().getVersion())
          .as("current.json rewritten, case %d", left)
          .isEqualTo("n1");
    }
  }

  /**
   * What a power cut can leave of current.json, which a commit overwrites in place without waiting
   * for the disk: the previous record, the new one followed by the previous one's tail (the cut
   * lost only the truncation), a mixture of both, or nothing.
   */
  private static byte[] leftByPowerCut(int kind, byte[] previous, byte[] committed) {
    return switch (kind) {
      case 0 -> previous;
      case 1 -> {
        byte[] withTail = previous.clone();
        System.arraycopy(committed, 0, withTail, 0, committed.length);
        yield withTail;
      }
      case 2 -> {
        byte[] mixture = committed.clone();
        System.arraycopy(previous, 0, mixture, 0, committed.length / 2);
        yield mixture;
      }
      default -> new byte[0];
    };
  }

  @Test
  void aJournalCutShortIsRemovedAndChangesNothing() throws Exception {
    ConfigStore store = new ConfigStore(settings, Clock.systemUTC());
    store.recover();
    store.apply(scenario.bundle("n0")).commit("setup");
    var before = TestBundles.snapshot(root);
    String line = "{\"sequence\":7,\"txn\":\"0b6f\",\"phase\":\"PREPARED\",\"version\":\"n1\"";
    Files.write(state.resolve("journal-7.json"), line.getBytes(StandardCharsets.UTF_8));

    ConfigStore restarted = new ConfigStore(settings, Clock.systemUTC());
    assertThatThrownBy(() -> restarted.apply(scenario.bundle("n2")))
        .as("no apply before recovery")
        .isInstanceOf(IllegalStateException.class);
    RecoveryOutcome outcome = restarted.recover();

    assertThat(outcome.action()).isEqualTo(RecoveryOutcome.Action.NOTHING_TO_DO);
    assertThat(outcome.detail()).contains("cut short");
    assertThat(state.resolve("journal-7.json")).doesNotExist();
    assertThat(TestBundles.snapshot(root)).isEqualTo(before);
    assertThat(restarted.current().getVersion()).isEqualTo("n0");
    scenario.assertConsistent(restarted, state);
  }

  @Test
  void aCommittedJournalLeftBehindByALaterCommitIsHarmless() throws Exception {
    ConfigStore store = new ConfigStore(settings, Clock.systemUTC());
    store.recover();
    store.apply(scenario.bundle("n0")).commit("setup");
    Path first = TestBundles.committedJournals(state).getFirst();
    Path copy = base.resolve("old-journal");
    Files.copy(first, copy);
    store.apply(scenario.bundle("w1")).commit("controller");
    // The removal of the older journal was not waited for; suppose it did not reach the disk.
    Files.copy(copy, first, StandardCopyOption.REPLACE_EXISTING);

    ConfigStore restarted = new ConfigStore(settings, Clock.systemUTC());
    RecoveryOutcome outcome = restarted.recover();

    assertThat(outcome.action()).isEqualTo(RecoveryOutcome.Action.COMMITTED);
    assertThat(restarted.current().getVersion()).isEqualTo("w1");
    scenario.assertConsistent(restarted, state);
    assertThat(restarted.history(10)).hasSize(2);
  }
}
