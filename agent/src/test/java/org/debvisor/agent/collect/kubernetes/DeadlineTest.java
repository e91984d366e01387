package org.debvisor.agent.collect.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  @Test
  void endsSlightlyBeforeTheTimeout() {
    assertThat(Deadline.within(Duration.ofSeconds(5)).remaining())
        .isLessThanOrEqualTo(Duration.ofMillis(4750))
        .isGreaterThan(Duration.ofSeconds(4));
    assertThat(Deadline.within(Duration.ofMillis(1000)).remaining())
        .isLessThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void spentDeadlineHasNothingLeft() {
    assertThat(new Deadline(Duration.ofSeconds(1), System.nanoTime() - 1).remaining()).isZero();
  }

  @Test
  void describesTheConfiguredTimeout() {
    assertThat(Deadline.within(Duration.ofSeconds(5)).describe()).isEqualTo("5s");
    assertThat(Deadline.within(Duration.ofMillis(1500)).describe()).isEqualTo("1500ms");
  }
}
