package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.cli.output.NodeTable;
import org.debvisor.controller.cli.output.OutputFormat;
import org.debvisor.controller.cli.output.RolloutTable;
import org.debvisor.proto.ListRolloutsRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code debvisor rollout list}: every rollout, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List rollouts, newest first.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed", "1:refused or unreachable"})
final class RolloutListCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Mixin ControllerClientOptions client;

  private final Map<String, String> env;

  RolloutListCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    return ControllerCall.once(
        client,
        env,
        err,
        c -> c.listRollouts(ListRolloutsRequest.getDefaultInstance()),
        response -> {
          if (output == OutputFormat.json) {
            out.println(NodeTable.json(response));
          } else if (response.getRolloutsCount() == 0) {
            err.println("no rollouts yet; start one with `debvisor rollout create`");
          } else {
            RolloutTable.list(response.getRolloutsList(), out);
          }
        });
  }
}
