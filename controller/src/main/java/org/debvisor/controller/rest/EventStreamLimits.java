package org.debvisor.controller.rest;

import java.time.Duration;

/**
 * Bounds of the API's event streams: how many one user and all users together may hold open, how
 * often an idle stream gets a heartbeat comment (proxies and browsers drop silent connections; the
 * heartbeat also re-checks the caller's session), and how often the controller looks for changes.
 */
public record EventStreamLimits(int perUser, int total, Duration heartbeat, Duration poll) {

  /** A few tabs per operator, a bounded number of threads' worth of work for the controller. */
  public static final EventStreamLimits DEFAULTS =
      new EventStreamLimits(4, 64, Duration.ofSeconds(15), Duration.ofSeconds(1));

  public EventStreamLimits {
    if (perUser < 1 || total < perUser) {
      throw new IllegalArgumentException(
          "event streams: need 1 <= perUser <= total, got " + perUser + " and " + total);
    }
    if (heartbeat.isNegative() || heartbeat.isZero() || poll.isNegative() || poll.isZero()) {
      throw new IllegalArgumentException("event streams: heartbeat and poll must be positive");
    }
  }
}
