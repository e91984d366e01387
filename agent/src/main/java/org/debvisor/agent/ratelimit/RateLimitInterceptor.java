package org.debvisor.agent.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.debvisor.agentapi.RateLimitSettings;
import org.debvisor.common.auth.CallerIdentity;

/**
 * Token buckets per caller and for everyone, one pair for configuration changes and one for
 * everything else, so monitoring cannot starve configuration and vice versa. A refused call gets
 * RESOURCE_EXHAUSTED with {@code retry-after} (seconds) and {@code grpc-retry-pushback-ms}.
 */
public final class RateLimitInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> RETRY_PUSHBACK_MS =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  /** Bounds the per-caller map: callers beyond this share one overflow bucket. */
  private static final int MAX_TRACKED_CALLERS = 10_000;

  private final Set<String> configMethods;
  private final Limits status;
  private final Limits config;

  public RateLimitInterceptor(
      RateLimitSettings settings, Set<String> configMethods, MeterRegistry registry) {
    this.configMethods = Set.copyOf(configMethods);
    this.status =
        new Limits("status", settings.statusPerCaller(), settings.statusGlobal(), registry);
    this.config =
        new Limits("config", settings.configPerCaller(), settings.configGlobal(), registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Limits limits =
        configMethods.contains(call.getMethodDescriptor().getFullMethodName()) ? config : status;
    long waitNanos = limits.tryAcquire(CallerIdentity.current().name());
    if (waitNanos == 0) {
      return next.startCall(call, headers);
    }
    Metadata trailers = new Metadata();
    long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos));
    trailers.put(RETRY_AFTER, Long.toString(Math.max(1, (waitMillis + 999) / 1000)));
    trailers.put(RETRY_PUSHBACK_MS, Long.toString(waitMillis));
    call.close(
        Status.RESOURCE_EXHAUSTED.withDescription(
            "rate limit for "
                + limits.name
                + " calls exceeded; retry after "
                + waitMillis
                + " ms (rateLimits."
                + limits.name
                + "PerCaller / "
                + limits.name
                + "Global)"),
        trailers);
    return new ServerCall.Listener<>() {};
  }

  /** One per-caller bucket map and one global bucket. */
  private static final class Limits {
    private final String name;
    private final RateLimitSettings.Bucket perCaller;
    private final Bucket global;
    private final ConcurrentMap<String, Bucket> callers = new ConcurrentHashMap<>();
    private final Bucket overflow;
    private final Counter limited;

    Limits(
        String name,
        RateLimitSettings.Bucket perCaller,
        RateLimitSettings.Bucket global,
        MeterRegistry registry) {
      this.name = name;
      this.perCaller = perCaller;
      this.global = bucket(global);
      this.overflow = bucket(perCaller);
      this.limited =
          Counter.builder("debvisor.rate.limited")
              .description("Calls refused with RESOURCE_EXHAUSTED by the agent's rate limits")
              .tag("class", name)
              .register(registry);
    }

    /** 0 when a token was taken, else nanoseconds until one will be available. */
    long tryAcquire(String caller) {
      Bucket own = callers.get(caller);
      if (own == null) {
        own =
            callers.size() >= MAX_TRACKED_CALLERS
                ? overflow
                : callers.computeIfAbsent(caller, c -> bucket(perCaller));
      }
      // tryConsume on the way through: the probe with the wait is only worked out for a refusal.
      if (!own.tryConsume(1)) {
        limited.increment();
        return waitFor(own);
      }
      if (!global.tryConsume(1)) {
        own.addTokens(1); // the caller did not get through, so it keeps its token
        limited.increment();
        return waitFor(global);
      }
      return 0;
    }

    /** Nanoseconds until the bucket has a token again; at least 1 so the caller still refuses. */
    private static long waitFor(Bucket bucket) {
      return Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }

    private static Bucket bucket(RateLimitSettings.Bucket b) {
      // Synchronized buckets update their state in place; the lock-free default copies it on
      // every call (an allocation per bucket per call). Two event loops hardly ever contend.
      return Bucket.builder()
          .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
          .addLimit(
              Bandwidth.builder()
                  .capacity(b.capacity())
                  .refillGreedy(b.perSecond(), Duration.ofSeconds(1))
                  .build())
          .build();
    }
  }
}
