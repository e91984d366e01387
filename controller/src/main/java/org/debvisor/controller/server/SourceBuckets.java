package org.debvisor.controller.server;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * One Bucket4j token bucket per source address, for the limits the gRPC interceptors put on a
 * source (RegisterNode calls, failed operator authentications), and the RESOURCE_EXHAUSTED answer
 * with {@code retry-after} (seconds) and {@code grpc-retry-pushback-ms} a refused call gets.
 */
final class SourceBuckets {

  static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> RETRY_PUSHBACK_MS =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  /** Bounds memory: sources beyond this many share one overflow bucket. */
  private static final int MAX_SOURCES = 10_000;

  private final ControllerSettings.RateLimit limit;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Bucket overflow;

  SourceBuckets(ControllerSettings.RateLimit limit) {
    this.limit = limit;
    this.overflow = bucket();
  }

  ControllerSettings.RateLimit limit() {
    return limit;
  }

  /** The bucket of {@code source} (the overflow bucket once too many sources were seen). */
  Bucket of(String source) {
    Bucket bucket = buckets.get(source);
    if (bucket != null) {
      return bucket;
    }
    return buckets.size() >= MAX_SOURCES
        ? overflow
        : buckets.computeIfAbsent(source, s -> bucket());
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

  /**
   * RESOURCE_EXHAUSTED saying {@code what} and when to retry, with the retry trailers.
   *
   * @param what what there was too much of and from where, e.g. "too many RegisterNode calls from
   *     10.0.0.5"
   * @param advice appended after the retry time; empty for none
   */
  StatusRuntimeException exhausted(String what, long nanosToWait, String advice) {
    long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanosToWait));
    Metadata trailers = new Metadata();
    trailers.put(RETRY_AFTER, Long.toString((waitMillis + 999) / 1000));
    trailers.put(RETRY_PUSHBACK_MS, Long.toString(waitMillis));
    return Status.RESOURCE_EXHAUSTED
        .withDescription(
            what
                + " (limit "
                + limit.capacity()
                + " at once, "
                + limit.perSecond()
                + "/s); retry after "
                + waitMillis
                + " ms"
                + advice)
        .asRuntimeException(trailers);
  }
}
