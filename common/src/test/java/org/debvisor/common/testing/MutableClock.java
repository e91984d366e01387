package org.debvisor.common.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move forward by hand (token expiry, renewal windows) instead of sleeping. */
public final class MutableClock extends UtcClock {

  private final AtomicReference<Instant> now;

  /** Starts at the real current time. */
  public MutableClock() {
    this(Instant.now());
  }

  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  public void advance(Duration by) {
    now.updateAndGet(i -> i.plus(by));
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
