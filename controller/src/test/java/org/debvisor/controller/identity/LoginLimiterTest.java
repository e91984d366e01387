package org.debvisor.controller.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Failed password attempts per user and per source, on real Bucket4j buckets. */
class LoginLimiterTest {

  private static final LoginLimiter.Limit ONE_PER_MINUTE = new LoginLimiter.Limit(1, 1);
  private static final LoginLimiter.Limit PLENTY = new LoginLimiter.Limit(1_000_000, 1_000_000);

  @Test
  void limitsBelowOneAreRefused() {
    assertThatThrownBy(() -> new LoginLimiter.Limit(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("login limit must be at least 1/1");
    assertThatThrownBy(() -> new LoginLimiter.Limit(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new LoginLimiter.Limit(1, 1).burst()).isEqualTo(1);
  }

  @Test
  void onlyFailuresPayAndTheBurstIsAllowedInFull() {
    LoginLimiter limiter = new LoginLimiter(new LoginLimiter.Limit(3, 1), PLENTY);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.refusal("alice", "10.0.0.1")).as("checks cost nothing").isEmpty();
    }
    limiter.recordFailure("alice", "10.0.0.1");
    limiter.recordFailure("alice", "10.0.0.1");
    assertThat(limiter.refusal("alice", "10.0.0.1")).as("one attempt left").isEmpty();
    limiter.recordFailure("alice", "10.0.0.1");
    assertThat(limiter.refusal("alice", "10.0.0.1")).isPresent();
  }

  @Test
  void anExhaustedUserIsRefusedFromEverySourceWithTheWaitUntilARefill() {
    LoginLimiter limiter = new LoginLimiter(ONE_PER_MINUTE, PLENTY);
    limiter.recordFailure("alice", "10.0.0.1");
    assertThat(limiter.refusal("alice", "10.0.0.2").orElseThrow()).isBetween(50_000L, 60_000L);
    assertThat(limiter.refusal("bob", "10.0.0.1")).as("other users are not slowed").isEmpty();
  }

  @Test
  void anExhaustedSourceIsRefusedForEveryUser() {
    LoginLimiter limiter = new LoginLimiter(PLENTY, ONE_PER_MINUTE);
    limiter.recordFailure("alice", "10.0.0.1");
    assertThat(limiter.refusal("bob", "10.0.0.1").orElseThrow()).isBetween(50_000L, 60_000L);
    assertThat(limiter.refusal("alice", "10.0.0.2")).as("other sources are not slowed").isEmpty();
  }

  @Test
  void beyondTenThousandNamesNewNamesShareOneOverflowBucket() {
    LoginLimiter limiter = new LoginLimiter(ONE_PER_MINUTE, PLENTY);
    for (int i = 0; i < 10_000; i++) {
      limiter.recordFailure("user" + i, "10.0.0.1");
    }
    assertThat(limiter.refusal("user9999", "10.0.0.1")).as("its own bucket").isPresent();
    assertThat(limiter.refusal("late1", "10.0.0.1")).as("the overflow is fresh").isEmpty();
    limiter.recordFailure("late1", "10.0.0.1");
    assertThat(limiter.refusal("late2", "10.0.0.1")).as("shares late1's bucket").isPresent();
  }
}
