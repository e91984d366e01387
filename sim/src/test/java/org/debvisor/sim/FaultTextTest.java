package org.debvisor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultTextTest {

  @Test
  void sharesAsPercentOrFraction() {
    assertThat(FaultText.fraction("--gate-fail", "5%")).isEqualTo(0.05);
    assertThat(FaultText.fraction("--gate-fail", "0.25")).isEqualTo(0.25);
    assertThat(FaultText.fraction("--gate-fail", "100%")).isEqualTo(1.0);
    assertThat(FaultText.fraction("--gate-fail", "0")).isEqualTo(0.0);
  }

  @Test
  void badSharesNameTheOptionAndTheForm() {
    for (String bad : new String[] {"", "5", "101%", "-1%", "0.5x", "1.5", null}) {
      assertThatThrownBy(() -> FaultText.fraction("--drop", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--drop: expected a share like 5% or 0.05");
    }
  }

  @Test
  void delaysFixedOrRange() {
    assertThat(FaultText.delay("--apply-delay", "200ms"))
        .containsExactly(Duration.ofMillis(200), Duration.ofMillis(200));
    assertThat(FaultText.delay("--apply-delay", "100ms..2s"))
        .containsExactly(Duration.ofMillis(100), Duration.ofSeconds(2));
    assertThat(FaultText.delay("--apply-delay", "1m"))
        .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(1));
  }

  @Test
  void badDelaysNameTheOptionAndTheForm() {
    for (String bad : new String[] {"", "200", "2s..", "..2s", "fast", "1h"}) {
      assertThatThrownBy(() -> FaultText.delay("--apply-delay", bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--apply-delay: expected a delay like 200ms");
    }
    assertThatThrownBy(() -> FaultText.delay("--apply-delay", "2s..100ms"))
        .hasMessageEndingWith("the range ends before it starts");
  }
}
