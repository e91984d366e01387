package org.debvisor.controller.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives each call a request id (the caller's sane {@code x-request-id}, else a new one), echoes it
 * in the response headers and logs how the call ended. Never logs metadata: it carries tokens.
 */
final class RequestLogInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Logger log = LoggerFactory.getLogger("debvisor.controller.rpc");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String given = headers.get(REQUEST_ID);
    String requestId =
        given != null && SANE_ID.matcher(given).matches()
            ? given
            : Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    String method = call.getMethodDescriptor().getFullMethodName();
    Object peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    ServerCall<Q, R> logged =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata responseHeaders) {
            responseHeaders.put(REQUEST_ID, requestId);
            super.sendHeaders(responseHeaders);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            MDC.put("request_id", requestId);
            try {
              if (status.isOk()) {
                log.debug("{} ok peer={}", method, peer);
              } else if (status.getCode() == Status.Code.INTERNAL
                  || status.getCode() == Status.Code.UNKNOWN) {
                log.warn(
                    "{} failed peer={} {} {}",
                    method,
                    peer,
                    status.getCode(),
                    status.getDescription(),
                    status.getCause());
              } else {
                log.info(
                    "{} ended peer={} {} {}",
                    method,
                    peer,
                    status.getCode(),
                    status.getDescription());
              }
            } finally {
              MDC.remove("request_id");
            }
            super.close(status, trailers);
          }
        };
    return next.startCall(logged, headers);
  }
}
