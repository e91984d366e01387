package org.debvisor.controller.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Builds the controller's gRPC errors; INVALID_ARGUMENT with a google.rpc.BadRequest comes from
 * {@link org.debvisor.common.violation.BadRequests}.
 */
final class Errors {

  private Errors() {}

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
