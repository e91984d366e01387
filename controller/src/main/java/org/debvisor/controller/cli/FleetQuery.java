package org.debvisor.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.NodeRecord;

/** What the fleet CLIs share: one ListNodes call, and JSON output of their rows. */
final class FleetQuery {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Thrown with the exit code and message already decided. */
  static final class Failure extends Exception {
    final int exitCode;

    Failure(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  private FleetQuery() {}

  /**
   * The nodes matching {@code selector}; on failure the message is printed to {@code err} and
   * {@link Failure} carries {@code failureCode} (or the invalid-input code for a bad selector).
   */
  static List<NodeRecord> nodes(
      ControllerClientOptions client,
      Map<String, String> env,
      String selector,
      java.io.PrintWriter err,
      int failureCode,
      int invalidCode)
      throws Failure {
    try (ControllerConnection connection = client.connect(env)) {
      try {
        return connection
            .controller(client.timeoutSeconds())
            .listNodes(ListNodesRequest.newBuilder().setSelector(selector).build())
            .getNodesList();
      } catch (StatusRuntimeException e) {
        int code = RpcFailure.report(e, connection.target(), err);
        throw new Failure(code == DebvisorCli.EXIT_INVALID ? invalidCode : failureCode, "");
      }
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      throw new Failure(failureCode, e.getMessage());
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }
}
