package org.debvisor.agent.config;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.debvisor.agent.report.StatusBoard;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.agentapi.bundle.BundleValidator;
import org.debvisor.common.process.ProcessRunner;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.HealthGate;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.ServiceAction;
import org.debvisor.proto.UpdateConfigRequest;

/**
 * The agent's update path (validator, store, reloader, gate) in its own JVM, for {@link
 * CrashRecoveryTest} to kill: recovers, then pushes one update of version {@code w2} whose bundle
 * reloads {@code demo.service} and whose gate waits a minute. With {@code --halt-at STEP} the JVM
 * halts on the spot (no clean-up, like a kill) the first time that step is reached.
 *
 * <p>Arguments: state directory, allowed root, reload log, expected current version, then
 * optionally {@code --halt-at STEP}.
 */
public final class RecoveryHarness {

  static final String UNIT = "demo.service";

  private RecoveryHarness() {}

  /** Settings whose reload command appends the unit's name to {@code reloadLog}. */
  static ConfigSettings settings(Path state, Path root, Path reloadLog) {
    List<String> record = List.of("sh", "-c", "echo {unit} >> '" + reloadLog + "'");
    return new ConfigSettings(
        state,
        List.of(root),
        null,
        null,
        null,
        null,
        List.of("*.service"),
        record,
        record,
        null,
        null);
  }

  static ConfigUpdater updater(ConfigSettings settings, ConfigStore store) {
    ProcessRunner processes = new ProcessRunner();
    StatusBoard board =
        new StatusBoard(NodeIdentity.getDefaultInstance(), List.of(), Clock.systemUTC());
    return new ConfigUpdater(
        new BundleValidator(settings, new NodeAccounts()),
        store,
        new ServiceReloader(settings, processes),
        new HealthGateRunner(board, settings, processes),
        board,
        new SimpleMeterRegistry());
  }

  public static void main(String[] args) throws Exception {
    Path state = Path.of(args[0]);
    Path root = Path.of(args[1]);
    ConfigSettings settings = settings(state, root, Path.of(args[2]));
    String expected = args[3];
    ApplyStep haltAt =
        args.length > 5 && args[4].equals("--halt-at") ? ApplyStep.valueOf(args[5]) : null;
    PrintStream out = System.out;
    ApplyStepListener listener =
        step -> {
          out.println(step);
          out.flush();
          if (step == haltAt) {
            Runtime.getRuntime().halt(137);
          }
        };
    ConfigStore store =
        new ConfigStore(settings, Clock.systemUTC(), FileOwnership.forThisProcess(), listener);
    ConfigUpdater updater = updater(settings, store);
    updater.recover();
    out.println("READY");
    out.flush();
    ConfigBundle bundle =
        new CrashScenario(root)
            .bundle("w2").toBuilder()
                .addServices(
                    ServiceAction.newBuilder().setUnit(UNIT).setAction(ServiceAction.Action.RELOAD))
                .setGate(
                    HealthGate.newBuilder()
                        .setWindow(com.google.protobuf.Duration.newBuilder().setSeconds(60)))
                .build();
    updater.update(
        UpdateConfigRequest.newBuilder()
            .setBundle(bundle)
            .setExpectedCurrentVersion(expected)
            .build(),
        "harness");
    out.println("DONE");
  }
}
