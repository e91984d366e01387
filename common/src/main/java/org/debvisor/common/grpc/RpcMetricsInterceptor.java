package org.debvisor.common.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Times every RPC as the Prometheus histogram {@code
 * debvisor_rpc_request_duration_seconds{method,code}}.
 */
public final class RpcMetricsInterceptor implements ServerInterceptor {

  /**
   * Bucket bounds: Prometheus's usual 1-2.5-5 steps from 0.5 ms to 30 s, with 1 s (the alert's p99
   * threshold) among them. Fixed bounds keep each method and code at 16 bucket series (15 bounds
   * and +Inf), where Micrometer's generated percentile buckets for 50 us-30 s made 88.
   */
  static final List<Duration> BUCKETS =
      List.of(
          Duration.ofNanos(500_000),
          Duration.ofMillis(1),
          Duration.ofNanos(2_500_000),
          Duration.ofMillis(5),
          Duration.ofMillis(10),
          Duration.ofMillis(25),
          Duration.ofMillis(50),
          Duration.ofMillis(100),
          Duration.ofMillis(250),
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofMillis(2500),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30));

  private static final int CODES = Status.Code.values().length;

  private final MeterRegistry registry;
  // Per method, one timer per status code, made when first needed. Keyed by the method's name
  // object (its hash is cached) so a call builds no key string.
  private final ConcurrentMap<String, AtomicReferenceArray<Timer>> timers =
      new ConcurrentHashMap<>();

  public RpcMetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    AtomicReferenceArray<Timer> byCode = timers.get(method);
    if (byCode == null) {
      byCode = timers.computeIfAbsent(method, m -> new AtomicReferenceArray<>(CODES));
    }
    AtomicReferenceArray<Timer> codes = byCode;
    ServerCall<Q, R> timed =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            timer(codes, method, status.getCode())
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            super.close(status, trailers);
          }
        };
    return next.startCall(timed, headers);
  }

  private Timer timer(AtomicReferenceArray<Timer> byCode, String method, Status.Code code) {
    // Cached: building and registering a meter per call would dominate a cheap RPC.
    Timer timer = byCode.get(code.ordinal());
    if (timer == null) {
      // Micrometer returns the registered timer when another thread registered it first.
      timer =
          Timer.builder("debvisor.rpc.request.duration")
              .description("Time from receiving an RPC to sending its status")
              .tags("method", method, "code", code.name())
              .serviceLevelObjectives(BUCKETS.toArray(Duration[]::new))
              .register(registry);
      byCode.set(code.ordinal(), timer);
    }
    return timer;
  }
}
