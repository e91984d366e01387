package org.debvisor.controller.cli;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.RevokeNodeRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code debvisor node revoke}: refuses a node's certificates from now on. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = {
      "Revoke a node: its certificates are refused from now on and it cannot enrol again under "
          + "the same id. Revoking a revoked node changes nothing."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:revoked", "1:unknown node, refused or unreachable", "2:invalid input"})
final class NodeRevokeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NODE", description = "Node id or hostname.")
  String node;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept in the audit log).")
  String reason = "";

  @Mixin ControllerClientOptions client;

  private final Map<String, String> env;

  NodeRevokeCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try (ControllerConnection connection = client.connect(env)) {
      NodeRecord revoked;
      try {
        revoked =
            connection
                .controller(client.timeoutSeconds())
                .revokeNode(RevokeNodeRequest.newBuilder().setNode(node).setReason(reason).build())
                .getNode();
      } catch (StatusRuntimeException e) {
        return RpcFailure.report(e, connection.target(), err);
      }
      spec.commandLine()
          .getOut()
          .println("revoked node " + revoked.getNodeId() + " (" + revoked.getHostname() + ")");
      return 0;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    }
  }
}
