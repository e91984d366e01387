package org.debvisor.controller.server;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Install progress reports per bootstrap token id, as a Bucket4j token bucket on the controller's
 * clock: an installer sends a handful of reports per install, so a token sending many is broken or
 * abused. Taken after the token is checked, so only its holder can use up a token's budget.
 */
final class ProgressRateLimit {

  /** Reports one token may send at once. */
  static final int BURST = 10;

  /** The bucket refills one report per this interval. */
  static final Duration REFILL = Duration.ofSeconds(6);

  /** Bounds memory: ids beyond this many share one overflow bucket. */
  private static final int MAX_TOKENS = 10_000;

  private final TimeMeter time;
  private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Bucket overflow;

  ProgressRateLimit(Clock clock) {
    this.time =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return TimeUnit.MILLISECONDS.toNanos(clock.millis());
          }

          @Override
          public boolean isWallClockBased() {
            return true;
          }
        };
    this.overflow = bucket();
  }

  private Bucket bucket() {
    return Bucket.builder()
        .withCustomTimePrecision(time)
        .addLimit(Bandwidth.builder().capacity(BURST).refillGreedy(1, REFILL).build())
        .build();
  }

  /**
   * Takes one report from the token's budget, or throws RESOURCE_EXHAUSTED saying when to retry.
   */
  void take(String tokenId) {
    Bucket bucket = buckets.get(tokenId);
    if (bucket == null) {
      bucket =
          buckets.size() >= MAX_TOKENS
              ? overflow
              : buckets.computeIfAbsent(tokenId, id -> bucket());
    }
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()));
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(
              "too many install progress reports for bootstrap token "
                  + tokenId
                  + " (at most "
                  + BURST
                  + " at once, then one per "
                  + REFILL.toSeconds()
                  + " s); retry in "
                  + seconds
                  + " s")
          .asRuntimeException();
    }
  }
}
