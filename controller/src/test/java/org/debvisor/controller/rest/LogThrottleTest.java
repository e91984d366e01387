package org.debvisor.controller.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void oneLinePerIntervalCountingTheEventsBetween() {
    LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
    assertThat(throttle.record(T0)).as("the first event is logged at once").isEqualTo(1);
    for (int i = 1; i <= 1000; i++) {
      assertThat(throttle.record(T0.plusMillis(i * 50L))).as("event %d", i).isZero();
    }
    assertThat(throttle.record(T0.plusSeconds(59).plusMillis(999))).isZero();
    assertThat(throttle.record(T0.plusSeconds(60)))
        .as("the next line reports every event since the last one")
        .isEqualTo(1002);
    assertThat(throttle.record(T0.plusSeconds(61))).isZero();
    assertThat(throttle.record(T0.plusSeconds(121))).isEqualTo(2);
  }
}
