package org.debvisor.agent.enrol;

import java.time.Duration;

/** Converts protobuf durations and keeps controller-supplied ones within sane bounds. */
final class Durations {

  private Durations() {}

  static Duration of(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  static Duration clamp(Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0) {
      return min;
    }
    return value.compareTo(max) > 0 ? max : value;
  }
}
