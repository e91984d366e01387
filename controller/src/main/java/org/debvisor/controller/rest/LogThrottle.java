package org.debvisor.controller.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets one log line through per interval and counts the events in between, so a client that repeats
 * a mistake in a loop costs one line a minute instead of one per request.
 */
final class LogThrottle {

  private final Duration interval;
  private final AtomicReference<Instant> lastLogged = new AtomicReference<>(Instant.MIN);
  private final AtomicLong pending = new AtomicLong();

  LogThrottle(Duration interval) {
    this.interval = interval;
  }

  /**
   * Records one event at {@code now}; returns how many events (this one included) the caller should
   * report in one line, or 0 when the line is not due yet.
   */
  long record(Instant now) {
    pending.incrementAndGet();
    Instant last = lastLogged.get();
    if (now.isBefore(last.plus(interval)) || !lastLogged.compareAndSet(last, now)) {
      return 0;
    }
    return pending.getAndSet(0);
  }
}
