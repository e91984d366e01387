package org.debvisor.controller.cli;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.ClusterName;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.CreateBootstrapTokenResponse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code debvisor token create}: a single-use bootstrap token, printed once. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Create a single-use bootstrap token. The token goes to standard output (so "
          + "TOKEN=$(debvisor token create --ttl 1h) works), its id and expiry to standard error.",
      "It is shown only now: the controller keeps just its SHA-256."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:created", "1:the controller refused or is unreachable", "2:invalid input"})
final class TokenCreateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      required = true,
      description = "How long the token is valid, 1m to 30d (e.g. 15m, 1h, 7d).")
  String ttl;

  @Option(
      names = "--host",
      paramLabel = "HOSTNAME",
      description = "Only a node registering with this hostname may use it.")
  String host = "";

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description = "Role profile recorded for the node: ceph, hypervisor or k8s.")
  String profile = "";

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description =
          "Cluster the node joins (default: default): 1-63 characters of a-z, 0-9 and '-'.")
  String cluster = "";

  @Option(
      names = "--node",
      paramLabel = "NODE_ID",
      description = {
        "Only the node with this id may use it. Needed to re-enrol a node that is already "
            + "enrolled (a reinstalled machine): its old certificates are then superseded."
      })
  String node = "";

  @Mixin ControllerClientOptions client;

  private final Map<String, String> env;

  TokenCreateCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Duration duration;
    try {
      duration = DurationOption.parse("--ttl", ttl);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    try (ControllerConnection connection = client.connect(env)) {
      CreateBootstrapTokenResponse response;
      try {
        response =
            connection
                .controller(client.timeoutSeconds())
                .createBootstrapToken(
                    CreateBootstrapTokenRequest.newBuilder()
                        .setTtl(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(duration.getSeconds()))
                        .setHostname(host)
                        .setProfile(profile)
                        .setCluster(cluster)
                        .setNodeId(node)
                        .build());
      } catch (StatusRuntimeException e) {
        return RpcFailure.report(e, connection.target(), err);
      }
      spec.commandLine().getOut().println(response.getToken());
      err.println(
          "token "
              + response.getTokenId()
              + " valid until "
              + Instant.ofEpochSecond(response.getExpiresAt().getSeconds())
              + (host.isEmpty() ? "" : ", only for host " + host)
              + (profile.isEmpty() ? "" : ", profile " + profile)
              + (node.isEmpty() ? "" : ", only for node " + node + " (may re-enrol it)")
              + ", cluster "
              + ClusterName.orDefault(cluster)
              + "; single use, shown once");
      return 0;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    }
  }
}
