package org.debvisor.sim;

import java.util.concurrent.atomic.AtomicLong;

/** What the fleet's agents did, counted across all of them. */
final class SimCounters {
  final AtomicLong applied = new AtomicLong();
  final AtomicLong unchanged = new AtomicLong();
  final AtomicLong rolledBack = new AtomicLong();
  final AtomicLong conflicts = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong died = new AtomicLong();
  final AtomicLong heartbeats = new AtomicLong();
  final AtomicLong heartbeatFailures = new AtomicLong();
}
