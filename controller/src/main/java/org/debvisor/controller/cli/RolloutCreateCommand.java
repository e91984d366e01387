package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.cli.output.NodeTable;
import org.debvisor.controller.cli.output.OutputFormat;
import org.debvisor.controller.cli.output.RolloutTable;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.CreateRolloutRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code debvisor rollout create}: reads a bundle from local files and starts a rollout. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Start a rollout of BUNDLE (a bundle YAML, or a directory with bundle.yaml and its files).",
      "The controller validates the bundle and the plan before any node is touched."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:started", "1:refused or unreachable", "2:invalid bundle or options"})
final class RolloutCreateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BUNDLE", description = "Bundle YAML or directory.")
  Path bundle;

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "EXPR",
      description = "Nodes to change, as `nodes list --selector` takes it (empty: all).")
  String selector = "";

  @Option(names = "--canary", paramLabel = "N", description = "Nodes updated first (default 1).")
  int canary = 1;

  @Option(
      names = "--waves",
      paramLabel = "LIST",
      description = "Cumulative shares ending at 100% (default ${DEFAULT-VALUE}).")
  String waves = "10%,50%,100%";

  @Option(
      names = "--max-unavailable",
      paramLabel = "N",
      description = "Most nodes updated at once (default ${DEFAULT-VALUE}).")
  int maxUnavailable = 1;

  @Option(
      names = "--max-failures",
      paramLabel = "N",
      description = "Failed nodes tolerated before everything rolls back (default 0).")
  int maxFailures = 0;

  @Option(
      names = "--gate-window",
      paramLabel = "DURATION",
      description = "Watch each finished wave this long before its gate decides (default 60s; 0s).")
  String gateWindow = "60s";

  @Option(
      names = "--approve-after-canary",
      description = "Wait for `debvisor rollout approve ID` after the canary passed.")
  boolean approveAfterCanary;

  @Option(names = "--name", paramLabel = "TEXT", description = "Label (default: the version).")
  String name = "";

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Mixin ControllerClientOptions client;

  private final Map<String, String> env;

  RolloutCreateCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    ConfigBundle read;
    CreateRolloutRequest.Builder request;
    try {
      read = new BundleFileReader().read(bundle);
      request =
          CreateRolloutRequest.newBuilder()
              .setName(name)
              .setSelector(selector)
              .setBundle(read)
              .setCanary(Math.max(0, canary))
              .setMaxUnavailable(maxUnavailable)
              .setMaxFailures(maxFailures)
              .setGateWindow(duration(gateWindow))
              .setApproveAfterCanary(approveAfterCanary);
      for (String w : waves.split(",", -1)) {
        String p = w.strip();
        p = p.endsWith("%") ? p.substring(0, p.length() - 1) : p;
        request.addWavePercents(Integer.parseInt(p.strip()));
      }
      if (canary < 0) {
        throw new IllegalArgumentException("--canary: is " + canary + "; give 0 or more nodes");
      }
    } catch (BundleFileReader.BundleFileException | IllegalArgumentException e) {
      err.println(
          "error: "
              + (e instanceof NumberFormatException
                  ? "--waves: '" + waves + "' is not a list of percentages like 10%,50%,100%"
                  : e.getMessage()));
      return DebvisorCli.EXIT_INVALID;
    }
    CreateRolloutRequest create = request.build();
    return ControllerCall.once(
        client,
        env,
        err,
        c -> c.createRollout(create),
        r -> {
          if (output == OutputFormat.json) {
            out.println(NodeTable.json(r));
          } else {
            RolloutTable.show(r, Instant.now(), out);
            out.println("follow it with: debvisor rollout status " + r.getId() + " --watch");
          }
        });
  }

  private static com.google.protobuf.Duration duration(String text) {
    Duration d =
        text.equals("0") || text.equals("0s")
            ? Duration.ZERO
            : DurationOption.parse("--gate-window", text);
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).build();
  }
}
