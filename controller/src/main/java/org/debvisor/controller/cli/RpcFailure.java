package org.debvisor.controller.cli;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.PrintWriter;
import java.util.Optional;
import org.debvisor.common.connect.ConnectionFailures;
import org.debvisor.common.error.Causes;

/** Prints a failed controller call for a person and picks the exit code. */
final class RpcFailure {

  private RpcFailure() {}

  /** Prints {@code error: CODE: description} plus each field violation; returns the exit code. */
  static int report(StatusRuntimeException e, String target, PrintWriter err) {
    Status status = e.getStatus();
    String description = status.getDescription() == null ? "" : status.getDescription();
    java.util.List<BadRequest.FieldViolation> violations = violations(e);
    if (!violations.isEmpty()) {
      // The violations say it all; the description repeats them on one line.
      err.println("error: " + status.getCode() + ": the controller refused the request:");
      for (BadRequest.FieldViolation v : violations) {
        err.println("  " + v.getField() + ": " + v.getDescription());
      }
    } else {
      switch (status.getCode()) {
        case UNAVAILABLE ->
            err.println(
                unreachable(e, target)
                    .orElse(
                        "error: controller at "
                            + target
                            + " is unreachable: "
                            + description
                            + (status.getCause() == null
                                ? ""
                                : " (" + Causes.rootMessage(status.getCause()) + ")")
                            + "; check --controller and that `debvisor controller serve` runs"));
        case DEADLINE_EXCEEDED ->
            err.println(
                "error: controller at "
                    + target
                    + " did not answer in time; retry or raise --timeout");
        default -> err.println("error: " + status.getCode() + ": " + description);
      }
    }
    return status.getCode() == Status.Code.INVALID_ARGUMENT
        ? DebvisorCli.EXIT_INVALID
        : DebvisorCli.EXIT_FAILURE;
  }

  /** What failed reaching the controller, when the connection itself did. */
  static Optional<String> unreachable(StatusRuntimeException e, String target) {
    if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
      return Optional.empty();
    }
    return ConnectionFailures.diagnose(e, target)
        .map(
            d ->
                "error: controller at "
                    + target
                    + " is unreachable: "
                    + d.message()
                    + "; check --controller");
  }

  private static java.util.List<BadRequest.FieldViolation> violations(StatusRuntimeException e) {
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    java.util.List<BadRequest.FieldViolation> out = new java.util.ArrayList<>();
    if (details == null) {
      return out;
    }
    for (com.google.protobuf.Any any : details.getDetailsList()) {
      if (any.is(BadRequest.class)) {
        try {
          out.addAll(any.unpack(BadRequest.class).getFieldViolationsList());
        } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
          // Details are a courtesy; fall back to the description.
        }
      }
    }
    return out;
  }
}
