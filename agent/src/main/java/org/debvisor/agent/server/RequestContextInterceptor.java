package org.debvisor.agent.server;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
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
 * Gives every RPC a request id (the caller's {@code x-request-id} when sane, echoed in the response
 * headers; else a new one), puts it in the logging context and logs the outcome.
 */
final class RequestContextInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Logger log = LoggerFactory.getLogger("debvisor.rpc");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String given = headers.get(REQUEST_ID);
    boolean echo = given != null && SANE_ID.matcher(given).matches();
    String requestId = echo ? given : newId();
    String method = call.getMethodDescriptor().getFullMethodName();
    Object peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    ServerCall<Q, R> tagged =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata responseHeaders) {
            if (echo) {
              responseHeaders.put(REQUEST_ID, requestId);
            }
            super.sendHeaders(responseHeaders);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            withContext(requestId, method, () -> logOutcome(status, peer));
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener =
        withContext(requestId, method, () -> next.startCall(tagged, headers));
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        withContext(requestId, method, () -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        withContext(requestId, method, super::onHalfClose);
      }

      @Override
      public void onCancel() {
        withContext(requestId, method, super::onCancel);
      }
    };
  }

  private static void logOutcome(Status status, Object peer) {
    switch (status.getCode()) {
      case OK -> log.debug("rpc ok peer={}", peer);
      case INTERNAL, UNKNOWN, DATA_LOSS ->
          log.warn(
              "rpc failed peer={} code={} {}", peer, status.getCode(), status.getDescription());
      default ->
          log.info("rpc ended peer={} code={} {}", peer, status.getCode(), status.getDescription());
    }
  }

  /** 64 random bits: unique enough to correlate log lines, and no SecureRandom on the hot path. */
  private static String newId() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }

  private static void withContext(String requestId, String method, Runnable action) {
    withContext(
        requestId,
        method,
        () -> {
          action.run();
          return null;
        });
  }

  private static <T> T withContext(
      String requestId, String method, java.util.function.Supplier<T> action) {
    MDC.put("request_id", requestId);
    MDC.put("rpc_method", method);
    try {
      return action.get();
    } finally {
      MDC.remove("request_id");
      MDC.remove("rpc_method");
    }
  }
}
