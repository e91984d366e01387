package org.debvisor.agent.config;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The config engine alone in its own JVM, for {@link ApplyCrashTest} to SIGKILL: recovers, then
 * applies {@link CrashScenario} bundles in a loop, committing most and rolling back some, pausing a
 * random moment at every step so kills land everywhere. Prints each step it reaches.
 *
 * <p>Arguments: state directory, allowed root, a tag for unique version names, a random seed, and
 * an empty scratch directory where the code paths are warmed up (class loading takes longer than an
 * apply) before the harness reports READY.
 */
public final class ApplyCrashHarness {

  private static final int MAX_APPLIES = 5_000;
  private static final int MAX_PAUSE_NANOS = 2_000_000;
  private static final Set<ApplyStep> COMMIT_STEPS =
      EnumSet.of(
          ApplyStep.COMMIT_RECORDED,
          ApplyStep.CURRENT_WRITTEN,
          ApplyStep.HISTORY_WRITTEN,
          ApplyStep.BACKUPS_DROPPED);

  private ApplyCrashHarness() {}

  public static void main(String[] args) throws Exception {
    Path state = Path.of(args[0]);
    Path root = Path.of(args[1]);
    String tag = args[2];
    Random random = new Random(Long.parseLong(args[3]));
    warmUp(Path.of(args[4]));
    if (args.length > 5 && args[5].equals("--warm-up-only")) {
      return;
    }
    PrintStream out = System.out;
    ApplyStepListener pauseAndReport =
        step -> {
          out.println(step);
          out.flush();
          // The commit has fewer steps than staging; longer pauses there even out where kills land.
          int longest = COMMIT_STEPS.contains(step) ? 3 * MAX_PAUSE_NANOS : MAX_PAUSE_NANOS;
          LockSupport.parkNanos(random.nextInt(longest));
        };
    ConfigStore store =
        new ConfigStore(
            TestBundles.settings(state, root),
            Clock.systemUTC(),
            FileOwnership.forThisProcess(),
            pauseAndReport);
    CrashScenario scenario = new CrashScenario(root);
    out.println("READY");
    out.flush();
    RecoveryOutcome recovered = store.recover();
    out.println("RECOVERED " + recovered.action());
    out.flush();
    for (int k = 1; k <= MAX_APPLIES; k++) {
      String version = (k % 2 == 0 ? "n" : "w") + "-" + tag + "-" + k;
      ApplyHandle handle = store.apply(scenario.bundle(version));
      if (random.nextInt(3) == 0) {
        handle.rollBack("harness", "simulated gate failure");
      } else {
        handle.commit("harness");
      }
    }
    out.println("DONE");
  }

  private static void warmUp(Path scratch) throws Exception {
    Path root = java.nio.file.Files.createDirectories(scratch.resolve("root"));
    ConfigStore store =
        new ConfigStore(TestBundles.settings(scratch.resolve("state"), root), Clock.systemUTC());
    store.recover();
    CrashScenario scenario = new CrashScenario(root);
    store.apply(scenario.bundle("w-warm-1")).commit("warm-up");
    store.apply(scenario.bundle("n-warm-2")).rollBack("warm-up", "warm-up");
    store.history(10);
  }
}
