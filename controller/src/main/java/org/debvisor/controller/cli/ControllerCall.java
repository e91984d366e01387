package org.debvisor.controller.cli;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.proto.ControllerGrpc.ControllerBlockingStub;

/**
 * One controller RPC for a CLI command: connects, calls, prints a failure for a person with its
 * exit code ({@link RpcFailure}), or hands the answer on to be shown.
 */
final class ControllerCall {

  /** What a command does with an answer. */
  @FunctionalInterface
  interface Answer<T> {
    /** Shows {@code answer}; true to call again (e.g. {@code --watch}). */
    boolean show(T answer) throws InterruptedException;
  }

  private ControllerCall() {}

  /** Calls once and shows the answer; returns the exit code. */
  static <T> int once(
      ControllerClientOptions client,
      Map<String, String> env,
      PrintWriter err,
      Function<ControllerBlockingStub, T> rpc,
      Consumer<T> show) {
    try {
      return repeat(
          client,
          env,
          err,
          rpc,
          answer -> {
            show.accept(answer);
            return false;
          });
    } catch (InterruptedException e) {
      // show() above never waits
      Thread.currentThread().interrupt();
      return DebvisorCli.EXIT_FAILURE;
    }
  }

  /** Calls and shows over one connection as long as {@code show} asks; returns the exit code. */
  static <T> int repeat(
      ControllerClientOptions client,
      Map<String, String> env,
      PrintWriter err,
      Function<ControllerBlockingStub, T> rpc,
      Answer<T> show)
      throws InterruptedException {
    try (ControllerConnection connection = client.connect(env)) {
      boolean again = true;
      while (again) {
        T answer;
        try {
          answer = rpc.apply(connection.controller(client.timeoutSeconds()));
        } catch (StatusRuntimeException e) {
          return RpcFailure.report(e, connection.target(), err);
        }
        again = show.show(answer);
      }
      return 0;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    }
  }
}
