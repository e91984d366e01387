package org.debvisor.common.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits in tests for something another thread or process does, up to a limit. */
public final class Poll {

  private Poll() {}

  /**
   * Checks {@code condition} every {@code every} until it holds.
   *
   * @throws AssertionError naming {@code what} when {@code limit} passes first
   */
  public static void until(String what, Duration limit, Duration every, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + limit.toSeconds() + " s in vain for: " + what);
      }
      Thread.sleep(every.toMillis());
    }
  }
}
