package org.debvisor.controller.server;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.debvisor.proto.ControllerGrpc;

/**
 * Limits RegisterNode per source address with a Bucket4j token bucket, so a token guesser or a
 * misconfigured fleet cannot flood enrolment. A refused call gets RESOURCE_EXHAUSTED with {@code
 * retry-after} (seconds) and {@code grpc-retry-pushback-ms}.
 */
final class RegisterRateLimiter implements ServerInterceptor {

  static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> RETRY_PUSHBACK_MS =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  /** Bounds memory: sources beyond this many share one overflow bucket. */
  private static final int MAX_SOURCES = 10_000;

  private final ControllerSettings.RateLimit limit;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Bucket overflow;
  private final Counter refused;

  RegisterRateLimiter(ControllerSettings.RateLimit limit, MeterRegistry registry) {
    this.limit = limit;
    this.overflow = bucket();
    this.refused =
        Counter.builder("debvisor.rate.limited")
            .description("RegisterNode calls refused by the per-source rate limit")
            .tag("method", "RegisterNode")
            .register(registry);
  }

  private Bucket bucket() {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(limit.capacity())
                .refillGreedy(limit.perSecond(), Duration.ofSeconds(1))
                .build())
        .build();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!call.getMethodDescriptor()
        .getFullMethodName()
        .equals(ControllerGrpc.getRegisterNodeMethod().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    String source =
        AuthInterceptor.source(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    Bucket bucket = buckets.get(source);
    if (bucket == null) {
      bucket =
          buckets.size() >= MAX_SOURCES ? overflow : buckets.computeIfAbsent(source, s -> bucket());
    }
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return next.startCall(call, headers);
    }
    refused.increment();
    long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForRefill()));
    Metadata trailers = new Metadata();
    trailers.put(RETRY_AFTER, Long.toString((waitMillis + 999) / 1000));
    trailers.put(RETRY_PUSHBACK_MS, Long.toString(waitMillis));
    call.close(
        Status.RESOURCE_EXHAUSTED.withDescription(
            "too many RegisterNode calls from "
                + source
                + " (limit "
                + limit.capacity()
                + " at once, "
                + limit.perSecond()
                + "/s); retry after "
                + waitMillis
                + " ms"),
        trailers);
    return new ServerCall.Listener<>() {};
  }
}
