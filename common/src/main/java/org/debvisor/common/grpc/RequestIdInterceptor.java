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
            boolean entered = enter(requestId, method);
            try {
              logOutcome(method, status, peer);
            } finally {
              leave(entered);
            }
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener;
    boolean entered = enter(requestId, method);
    try {
      listener = next.startCall(tagged, headers);
    } finally {
      leave(entered);
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      // Plain try/finally rather than a lambda per callback: these run several times per call.
      @Override
      public void onMessage(Q message) {
        boolean entered = enter(requestId, method);
        try {
          super.onMessage(message);
        } finally {
          leave(entered);
        }
      }

      @Override
      public void onHalfClose() {
        boolean entered = enter(requestId, method);
        try {
          super.onHalfClose();
        } finally {
          leave(entered);
        }
      }

      @Override
      public void onCancel() {
        boolean entered = enter(requestId, method);
        try {
          super.onCancel();
        } finally {
          leave(entered);
        }
      }

      @Override
      public void onComplete() {
        boolean entered = enter(requestId, method);
        try {
          super.onComplete();
        } finally {
          leave(entered);
        }
      }

      @Override
      public void onReady() {
        boolean entered = enter(requestId, method);
        try {
          super.onReady();
        } finally {
          leave(entered);
        }
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

  /**
   * Puts the call into the logging context, unless it is there already: a unary handler closes the
   * call from inside {@code onHalfClose}, and putting and removing the same two entries again there
   * cost a measurable share of a cheap call (each MDC change is two thread-local operations).
   *
   * @return whether this call entered the context, so {@link #leave} must clear it
   */
  private static boolean enter(String requestId, String method) {
    // The very id object: another call's equal id must not be mistaken for this call.
    if (MDC.get(MDC_REQUEST_ID) == requestId) {
      return false;
    }
    MDC.put(MDC_REQUEST_ID, requestId);
    MDC.put(MDC_METHOD, method);
    return true;
  }

  private static void leave(boolean entered) {
    if (entered) {
      MDC.remove(MDC_REQUEST_ID);
      MDC.remove(MDC_METHOD);
    }
  }
}
