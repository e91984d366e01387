package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.cli.output.NodeTable;
import org.debvisor.controller.cli.output.OutputFormat;
import org.debvisor.proto.GetNodeStatusRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code debvisor nodes show}: one node with its hardware facts and last status. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Show one node: enrolment, certificate, last health and hardware facts.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:shown", "1:unknown node, refused or unreachable", "2:invalid arguments"})
final class NodesShowCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NODE", description = "Node id or hostname.")
  String node;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Mixin ControllerClientOptions client;

  private final Map<String, String> env;

  NodesShowCommand(Map<String, String> env) {
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
        c -> c.getNodeStatus(GetNodeStatusRequest.newBuilder().setNode(node).build()),
        record -> {
          if (output == OutputFormat.json) {
            out.println(NodeTable.json(record));
          } else {
            NodeTable.show(record, out);
          }
        });
  }
}
