package org.debvisor.controller.identity;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Password attempts per user name and per source address, as Bucket4j token buckets (the gRPC
 * RegisterNode limit works the same way), so neither one guesser nor a spread of addresses can try
 * passwords fast. Both buckets pay for an attempt.
 */
public final class LoginLimiter {

  /** Bounds memory: keys beyond this many share one overflow bucket per kind. */
  private static final int MAX_KEYS = 10_000;

  /** {@code burst} attempts at once, then {@code perMinute}. */
  public record Limit(long burst, long perMinute) {
    public Limit {
      if (burst < 1 || perMinute < 1) {
        throw new IllegalArgumentException("login limit must be at least 1/1");
      }
    }
  }

  private final Limit perUser;
  private final Limit perSource;
  private final ConcurrentMap<String, Bucket> users = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Bucket> sources = new ConcurrentHashMap<>();
  private final Bucket userOverflow;
  private final Bucket sourceOverflow;

  public LoginLimiter(Limit perUser, Limit perSource) {
    this.perUser = perUser;
    this.perSource = perSource;
    this.userOverflow = bucket(perUser);
    this.sourceOverflow = bucket(perSource);
  }

  /**
   * Empty when a password may be tried for {@code user} from {@code source}, else the milliseconds
   * until one may. Only failures pay (see {@link #recordFailure}), so a script that knows its
   * password is never slowed down.
   */
  public OptionalLong refusal(String user, String source) {
    long wait =
        Math.max(
            waitMillis(find(sources, sourceOverflow, perSource, source)),
            waitMillis(find(users, userOverflow, perUser, user)));
    return wait == 0 ? OptionalLong.empty() : OptionalLong.of(wait);
  }

  /** A wrong password or unknown user: both buckets pay one attempt. */
  public void recordFailure(String user, String source) {
    find(sources, sourceOverflow, perSource, source).tryConsume(1);
    find(users, userOverflow, perUser, user).tryConsume(1);
  }

  private static long waitMillis(Bucket bucket) {
    if (bucket.getAvailableTokens() >= 1) {
      return 0;
    }
    return Math.max(
        1,
        TimeUnit.NANOSECONDS.toMillis(
            bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
  }

  private static Bucket find(
      ConcurrentMap<String, Bucket> map, Bucket overflow, Limit limit, String key) {
    Bucket b = map.get(key);
    if (b != null) {
      return b;
    }
    return map.size() >= MAX_KEYS ? overflow : map.computeIfAbsent(key, k -> bucket(limit));
  }

  private static Bucket bucket(Limit limit) {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(limit.burst())
                .refillGreedy(limit.perMinute(), Duration.ofMinutes(1))
                .build())
        .build();
  }
}
