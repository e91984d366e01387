package org.debvisor.common.http;

import java.time.Duration;

/**
 * What one slow or hostile client may hold of an ops server.
 *
 * @param maxConnections connections open at once; more are closed on arrival
 * @param exchangeTimeout time to send a whole request and take its whole response (and how long an
 *     idle keep-alive connection stays open); a client slower than that is disconnected
 */
public record OpsLimits(int maxConnections, Duration exchangeTimeout) {

  /** Room for several scrapers and probes; a stalled client is dropped within 10 s. */
  public static final OpsLimits DEFAULT = new OpsLimits(64, Duration.ofSeconds(10));

  public OpsLimits {
    if (maxConnections < 1 || exchangeTimeout.isNegative() || exchangeTimeout.isZero()) {
      throw new IllegalArgumentException("ops limits must be positive");
    }
  }
}
