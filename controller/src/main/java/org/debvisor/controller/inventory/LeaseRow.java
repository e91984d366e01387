package org.debvisor.controller.inventory;

import java.time.Instant;

/**
 * A lease as stored: who holds it, the fencing token of that acquisition, and until when it holds
 * unless renewed.
 */
public record LeaseRow(
    String name,
    String holder,
    long token,
    Instant acquiredAt,
    Instant renewedAt,
    Instant expiresAt) {

  /** True when the lease still holds at {@code now}. */
  public boolean heldAt(Instant now) {
    return expiresAt.isAfter(now);
  }
}
