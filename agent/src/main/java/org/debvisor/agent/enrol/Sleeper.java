package org.debvisor.agent.enrol;

import java.time.Duration;

/** Waits between attempts; tests substitute one that records instead of waiting. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  /** Really waits (interruptibly). */
  static Sleeper real() {
    return d -> Thread.sleep(d.toMillis());
  }
}
