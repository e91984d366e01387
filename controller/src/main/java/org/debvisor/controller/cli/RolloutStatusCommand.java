package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.debvisor.controller.cli.output.NodeTable;
import org.debvisor.controller.cli.output.OutputFormat;
import org.debvisor.controller.cli.output.RolloutTable;
import org.debvisor.proto.GetRolloutRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code debvisor rollout status}: one rollout's progress, once or until it finishes. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a rollout: state, wave, node counts, gate countdown, each node.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:shown", "1:unknown rollout, refused or unreachable"})
final class RolloutStatusCommand implements Callable<Integer> {

  private static final Set<String> FINISHED = Set.of("SUCCEEDED", "ROLLED_BACK", "ABORTED");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "Rollout id (see `rollout list`).")
  String id;

  @Option(names = "--watch", description = "Print the progress every 2 s until it finishes.")
  boolean watch;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Mixin ControllerClientOptions client;

  private final Map<String, String> env;

  RolloutStatusCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    return ControllerCall.repeat(
        client,
        env,
        err,
        c -> c.getRollout(GetRolloutRequest.newBuilder().setId(id).build()),
        r -> {
          if (output == OutputFormat.json) {
            out.println(NodeTable.json(r));
          } else {
            RolloutTable.show(r, Instant.now(), out);
          }
          out.flush();
          if (!watch || FINISHED.contains(r.getState())) {
            return false;
          }
          Thread.sleep(2000);
          out.println();
          return true;
        });
  }
}
