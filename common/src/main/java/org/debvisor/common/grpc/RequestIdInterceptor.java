package org.debvisor.common.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every RPC a request id — the caller's {@code x-request-id} when sane, else a new one —
 * returns it in the response headers when the caller sent one, puts it and the method into the
 * logging context (MDC {@code request_id}, {@code rpc_method}) around every callback, and logs how
 * the call ended. Never logs metadata: it carries tokens.
 */
public final class RequestIdInterceptor implements ServerInterceptor {

  public static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

  static final String MDC_REQUEST_ID = "request_id";
  static final String MDC_METHOD = "rpc_method";

  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final Logger log;

  /**
   * @param loggerName where the outcome of each call is logged, e.g. {@code debvisor.rpc}
   */
  public RequestIdInterceptor(String loggerName) {
    this.log = LoggerFactory.getLogger(loggerName);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String given = headers.get(REQUEST_ID);
    String requestId = given != null && SANE_ID.matcher(given).matches() ? given : newId();
    String method = call.getMethodDescriptor().getFullMethodName();
    Object peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    ServerCall<Q, R> tagged =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata responseHeaders) {
            // Only to a caller that asked: a fresh random value in every response cannot be
            // indexed by HPACK, so each one churned both ends' header tables (measured as a
            // share of the Status CPU per call); the id is in the log lines either way.
            if (given != null) {
              responseHeaders.put(REQUEST_ID, requestId);
            }
            super.sendHeaders(responseHeaders);
          }

          @Override
          public void close(Status status, Metadata trailers) {
            inContext(requestId, method, () -> logOutcome(method, status, peer));
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener =
        inContext(requestId, method, () -> next.startCall(tagged, headers));
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        inContext(requestId, method, () -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        inContext(requestId, method, super::onHalfClose);
      }

      @Override
      public void onCancel() {
        inContext(requestId, method, super::onCancel);
      }

      @Override
      public void onComplete() {
        inContext(requestId, method, super::onComplete);
      }

      @Override
      public void onReady() {
        inContext(requestId, method, super::onReady);
      }
    };
  }

  private void logOutcome(String method, Status status, Object peer) {
    if (status.getCause() instanceof MalformedRequestGuard.MalformedRequest) {
      // Logged by MalformedRequestGuard, rate-limited: a flood must not write a line per request.
      return;
    }
    switch (status.getCode()) {
      case OK -> log.debug("{} ok peer={}", method, peer);
      case INTERNAL, UNKNOWN, DATA_LOSS ->
          log.warn(
              "{} failed peer={} {} {}",
              method,
              peer,
              status.getCode(),
              status.getDescription(),
              status.getCause());
      default ->
          log.info(
              "{} ended peer={} {} {}", method, peer, status.getCode(), status.getDescription());
    }
  }

  /** 64 random bits: unique enough to correlate log lines, and no SecureRandom on the hot path. */
  private static String newId() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }

  private static void inContext(String requestId, String method, Runnable action) {
    inContext(
        requestId,
        method,
        () -> {
          action.run();
          return null;
        });
  }

  private static <T> T inContext(String requestId, String method, Supplier<T> action) {
    MDC.put(MDC_REQUEST_ID, requestId);
    MDC.put(MDC_METHOD, method);
    try {
      return action.get();
    } finally {
      MDC.remove(MDC_REQUEST_ID);
      MDC.remove(MDC_METHOD);
    }
  }
}
