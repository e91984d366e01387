package org.debvisor.controller.cli;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.cli.output.NodeTable;
import org.debvisor.controller.cli.output.OutputFormat;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.ListNodesResponse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code debvisor nodes list}: the inventory, optionally filtered by a selector. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List enrolled nodes (revoked ones included, marked) and, without a selector, machines"
            + " still installing (phase and failure reason from their installer's reports).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed", "1:refused or unreachable", "2:invalid selector or arguments"})
final class NodesListCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin NodeQueryOptions query;

  private final Map<String, String> env;

  NodesListCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    try (ControllerConnection connection = query.client.connect(env)) {
      ListNodesResponse response;
      try {
        response =
            connection
                .controller(query.client.timeoutSeconds())
                .listNodes(ListNodesRequest.newBuilder().setSelector(query.selector).build());
      } catch (StatusRuntimeException e) {
        return RpcFailure.report(e, connection.target(), err);
      }
      if (query.output == OutputFormat.json) {
        out.println(NodeTable.json(response));
      } else if (response.getNodesCount() == 0 && response.getInstallingCount() == 0) {
        err.println(
            query.selector.isEmpty()
                ? "no nodes enrolled yet; create a token with `debvisor token create`"
                : "no node matches " + query.selector);
      } else {
        if (response.getNodesCount() > 0) {
          NodeTable.list(response.getNodesList(), out);
        }
        if (response.getInstallingCount() > 0) {
          if (response.getNodesCount() > 0) {
            out.println();
          }
          NodeTable.installing(response.getInstallingList(), out);
        }
      }
      return 0;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    }
  }
}
