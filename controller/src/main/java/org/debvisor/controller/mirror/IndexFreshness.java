package org.debvisor.controller.mirror;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long a verified {@code InRelease} (and what was worked out from it) is used without asking
 * the mirror again: until its signed {@code Valid-Until}, and never longer than {@code maxAge}
 * after the mirror last confirmed it (Debian's stable suites carry no {@code Valid-Until}).
 *
 * @param clock the time source
 * @param maxAge the longest reuse without asking the mirror
 */
public record IndexFreshness(Clock clock, Duration maxAge) {

  /** One hour: a point release or security fix reaches the next build within the hour. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);

  public IndexFreshness {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("max age must not be negative: " + maxAge);
    }
  }

  public static IndexFreshness systemDefault() {
    return new IndexFreshness(Clock.systemUTC(), DEFAULT_MAX_AGE);
  }

  public Instant now() {
    return clock.instant();
  }

  /** Whether an index the mirror confirmed at {@code confirmed} may be used now. */
  public boolean fresh(Instant confirmed, Optional<Instant> validUntil) {
    Instant now = now();
    // A confirmation in the future means the clock went back: do not trust it.
    return !confirmed.isAfter(now)
        && now.isBefore(confirmed.plus(maxAge))
        && validUntil.map(now::isBefore).orElse(true);
  }
}
