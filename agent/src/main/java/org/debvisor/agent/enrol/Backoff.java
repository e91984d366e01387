package org.debvisor.agent.enrol;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: after the n-th failure in a row the wait is uniform in [0,
 * min(cap, base·2^(n−1))], so agents that lost the controller together do not return together.
 */
final class Backoff {

  private static final Duration FLOOR = Duration.ofMillis(100);

  private final Duration base;
  private final Duration cap;
  private final RandomGenerator random;

  Backoff(Duration base, Duration cap, RandomGenerator random) {
    this.base = base;
    this.cap = cap;
    this.random = random;
  }

  /** The longest wait after {@code failures} failures in a row (at least 1). */
  Duration ceiling(int failures) {
    int doublings = Math.max(0, Math.min(failures - 1, 30));
    long millis = base.toMillis() << doublings;
    return millis >= cap.toMillis() || millis <= 0 ? cap : Duration.ofMillis(millis);
  }

  /** A random wait after {@code failures} failures in a row; never above the ceiling. */
  Duration delay(int failures) {
    long ceiling = ceiling(failures).toMillis();
    long floor = Math.min(FLOOR.toMillis(), ceiling);
    return Duration.ofMillis(floor + random.nextLong(ceiling - floor + 1));
  }
}
