package org.debvisor.common.violation;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;

/** Violations as gRPC INVALID_ARGUMENT carrying a {@code google.rpc.BadRequest}. */
public final class BadRequests {

  private BadRequests() {}

  /** INVALID_ARGUMENT for one field; the description is {@code field: rule}. */
  public static StatusRuntimeException invalidArgument(String field, String rule) {
    return invalidArgument(List.of(new Violation(field, rule)));
  }

  /** INVALID_ARGUMENT whose description lists every violation as {@code field: rule; …}. */
  public static StatusRuntimeException invalidArgument(List<Violation> violations) {
    return invalidArgument(Violation.summary(violations), violations);
  }

  /** INVALID_ARGUMENT with the given description and one field violation per entry. */
  public static StatusRuntimeException invalidArgument(
      String description, List<Violation> violations) {
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage(description)
            .addDetails(Any.pack(badRequest(violations)))
            .build());
  }

  /** The detail message alone. */
  public static BadRequest badRequest(List<Violation> violations) {
    BadRequest.Builder bad = BadRequest.newBuilder();
    for (Violation v : violations) {
      bad.addFieldViolations(
          BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.rule()));
    }
    return bad.build();
  }

  /** The violations a BadRequest detail of {@code e} carries; empty when it carries none. */
  public static List<Violation> violations(Throwable e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return List.of();
    }
    return status.getDetailsList().stream()
        .filter(any -> any.is(BadRequest.class))
        .flatMap(any -> unpack(any).getFieldViolationsList().stream())
        .map(f -> new Violation(f.getField(), f.getDescription()))
        .toList();
  }

  private static BadRequest unpack(Any any) {
    try {
      return any.unpack(BadRequest.class);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return BadRequest.getDefaultInstance();
    }
  }
}
