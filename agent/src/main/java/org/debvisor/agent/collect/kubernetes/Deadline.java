package org.debvisor.agent.collect.kubernetes;

import java.time.Duration;

/**
 * The time budget shared by the requests of one collection.
 *
 * @param timeout the configured timeout, as named in messages
 * @param endNanos {@link System#nanoTime()} value at which the budget is spent
 */
record Deadline(Duration timeout, long endNanos) {

  private static final Duration MAX_MARGIN = Duration.ofMillis(250);

  /**
   * A deadline that ends a little before {@code timeout}, so that the collector's own explanation
   * ("did not answer within 5s") reaches the runner before the runner's timeout does.
   */
  static Deadline within(Duration timeout) {
    Duration margin = timeout.dividedBy(10);
    if (margin.compareTo(MAX_MARGIN) > 0) {
      margin = MAX_MARGIN;
    }
    return new Deadline(timeout, System.nanoTime() + timeout.minus(margin).toNanos());
  }

  /** What is left, never negative. */
  Duration remaining() {
    return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
  }

  /** The configured timeout as people write it: "5s", "1500ms". */
  String describe() {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }
}
