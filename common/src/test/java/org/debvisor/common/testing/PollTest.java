package org.debvisor.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

  @Test
  void returnsOnceTheConditionHolds() throws Exception {
    AtomicInteger checks = new AtomicInteger();

    Poll.until(
        "the third check",
        Duration.ofSeconds(10),
        Duration.ofMillis(1),
        () -> checks.incrementAndGet() == 3);

    assertThat(checks).hasValue(3);
  }

  @Test
  void failsNamingWhatItWaitedFor() {
    assertThatThrownBy(
            () -> Poll.until("never", Duration.ofMillis(30), Duration.ofMillis(5), () -> false))
        .isInstanceOf(AssertionError.class)
        .hasMessage("waited 0 s in vain for: never");
  }
}
