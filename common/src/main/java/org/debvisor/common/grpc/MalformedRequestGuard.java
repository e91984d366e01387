package org.debvisor.common.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.debvisor.common.error.Causes;
import org.debvisor.common.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request whose bytes are not a valid message of the method's type with {@code
 * INVALID_ARGUMENT} and one log line at most per interval (with the count of the others), instead
 * of gRPC's UNKNOWN and a stack trace per request.
 *
 * <p>gRPC parses requests in the transport, before any interceptor could see a failure; a service
 * wrapped by {@link #parsedInInterceptors} receives raw bytes and parses them when this guard
 * passes the message on, so the failure surfaces here. Put the guard innermost, so the interceptors
 * around it (metrics, request logging) see the status it closes the call with.
 */
public final class MalformedRequestGuard implements ServerInterceptor {

  private final Logger log;
  private final Ticker ticker;
  private final long intervalNanos;
  private final AtomicLong nextLine;
  private final AtomicLong unlogged = new AtomicLong();

  /**
   * @param loggerName where refusals are logged
   * @param interval at most one line per interval; the next line counts the ones left out
   */
  public MalformedRequestGuard(String loggerName, Duration interval, Ticker ticker) {
    this.log = LoggerFactory.getLogger(loggerName);
    this.ticker = ticker;
    this.intervalNanos = interval.toNanos();
    this.nextLine = new AtomicLong(ticker.read());
  }

  /**
   * The service with its requests passed on as bytes and parsed inside the interceptor chain.
   * Messages pass through as the transport's and the service's own streams: gRPC's {@code
   * useInputStreamMessages} wraps each one (the reply too) in an 8 KiB {@code BufferedInputStream},
   * which hides the reply's direct serialisation into the frame and adds two copies per call.
   */
  public static ServerServiceDefinition parsedInInterceptors(ServerServiceDefinition service) {
    return ServerInterceptors.useMarshalledMessages(
        service, PassThroughStreams.INSTANCE, PassThroughStreams.INSTANCE);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> delegate = next.startCall(call, headers);
    return new ServerCall.Listener<>() {
      // Listener callbacks of one call never run concurrently.
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        try {
          delegate.onMessage(message);
        } catch (RuntimeException e) {
          if (!isParseFailure(e)) {
            throw e;
          }
          refused = true;
          refuse(call);
        }
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          delegate.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!refused) {
          delegate.onReady();
        }
      }

      @Override
      public void onCancel() {
        delegate.onCancel();
      }

      @Override
      public void onComplete() {
        delegate.onComplete();
      }
    };
  }

  private void refuse(ServerCall<?, ?> call) {
    String method = call.getMethodDescriptor().getFullMethodName();
    logLimited(method, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    call.close(
        Status.INVALID_ARGUMENT
            .withDescription(
                "the request is not a valid protobuf message for "
                    + method
                    + "; send the serialized request type of the method")
            .withCause(new MalformedRequest()),
        new Metadata());
  }

  private void logLimited(String method, Object peer) {
    long now = ticker.read();
    long due = nextLine.get();
    if (now - due >= 0 && nextLine.compareAndSet(due, now + intervalNanos)) {
      log.warn(
          "{} refused a malformed request peer={} INVALID_ARGUMENT ({} more since the last such"
              + " line)",
          method,
          peer,
          unlogged.getAndSet(0));
    } else {
      unlogged.incrementAndGet();
    }
  }

  private static boolean isParseFailure(Throwable e) {
    return Causes.find(e, InvalidProtocolBufferException.class).isPresent();
  }

  /**
   * Marks the status of a refused malformed request, so request logging leaves it to this guard's
   * rate-limited line. Never sent to the client.
   */
  static final class MalformedRequest extends Exception {
    MalformedRequest() {
      super("malformed request", null, false, false);
    }
  }
}
