package org.debvisor.common.time;

/**
 * A source of elapsed nanoseconds, like {@link System#nanoTime()}: injected where code measures
 * durations, so tests can move it by hand instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds from an arbitrary origin; only differences mean anything. */
  long read();

  static Ticker system() {
    return System::nanoTime;
  }
}
