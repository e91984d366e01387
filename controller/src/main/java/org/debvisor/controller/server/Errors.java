package org.debvisor.controller.server;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;

/** Builds the controller's gRPC errors; INVALID_ARGUMENT carries a google.rpc.BadRequest. */
final class Errors {

  private Errors() {}

  /** One field and the rule it broke. */
  record Violation(String field, String rule) {}

  static StatusRuntimeException invalid(String field, String rule) {
    return invalid(List.of(new Violation(field, rule)));
  }

  /** INVALID_ARGUMENT; the description lists every violation as {@code field: rule}. */
  static StatusRuntimeException invalid(List<Violation> violations) {
    BadRequest.Builder bad = BadRequest.newBuilder();
    StringBuilder message = new StringBuilder();
    for (Violation v : violations) {
      bad.addFieldViolations(
          BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.rule()));
      if (!message.isEmpty()) {
        message.append("; ");
      }
      message.append(v.field()).append(": ").append(v.rule());
    }
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage(message.toString())
            .addDetails(com.google.protobuf.Any.pack(bad.build()))
            .build());
  }

  static StatusRuntimeException unauthenticated(String message) {
    return Status.UNAUTHENTICATED.withDescription(message).asRuntimeException();
  }

  static StatusRuntimeException denied(String message) {
    return Status.PERMISSION_DENIED.withDescription(message).asRuntimeException();
  }

  static StatusRuntimeException notFound(String message) {
    return Status.NOT_FOUND.withDescription(message).asRuntimeException();
  }
}
