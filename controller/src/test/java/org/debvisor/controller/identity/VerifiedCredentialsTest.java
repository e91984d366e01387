package org.debvisor.controller.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import org.debvisor.common.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The basic-auth credential cache on its own: what matches, what stops matching, its bounds. */
class VerifiedCredentialsTest {

  private static final String HASH = "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA";

  private final MutableClock clock = new MutableClock();
  private final VerifiedCredentials cache =
      new VerifiedCredentials(clock, Duration.ofSeconds(60), 3, new SecureRandom());

  private static char[] pw(String s) {
    return s.toCharArray();
  }

  @Test
  void onlyTheSameUserPasswordAndStoredHashMatch() {
    assertThat(cache.contains("alice", pw("alice password"), HASH)).isFalse();
    cache.add("alice", pw("alice password"), HASH);

    assertThat(cache.contains("alice", pw("alice password"), HASH)).isTrue();
    assertThat(cache.contains("alice", pw("alice passworD"), HASH)).isFalse();
    assertThat(cache.contains("bob", pw("alice password"), HASH)).isFalse();
    // The name/password boundary is part of the key.
    assertThat(cache.contains("alic", pw("ealice password"), HASH)).isFalse();
  }

  @Test
  void aPasswordChangeOrRemovalEndsTheEntryAtOnce() {
    cache.add("alice", pw("alice password"), HASH);
    // Another hash stored for alice (a new password, from the API or another process's CLI).
    assertThat(cache.contains("alice", pw("alice password"), HASH + "x")).isFalse();
    // The stale entry is gone: even the old hash no longer matches without a new check.
    assertThat(cache.contains("alice", pw("alice password"), HASH)).isFalse();
    assertThat(cache.size()).isZero();
  }

  @Test
  void entriesExpireAfterTheirTimeToLive() {
    cache.add("alice", pw("alice password"), HASH);
    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.contains("alice", pw("alice password"), HASH)).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.contains("alice", pw("alice password"), HASH)).isFalse();
  }

  @Test
  void atMostCapacityEntriesAreKeptLeastRecentlyUsedLeaveFirst() {
    cache.add("a", pw("password a"), HASH);
    cache.add("b", pw("password b"), HASH);
    cache.add("c", pw("password c"), HASH);
    assertThat(cache.contains("a", pw("password a"), HASH)).isTrue();
    cache.add("d", pw("password d"), HASH);

    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.contains("b", pw("password b"), HASH)).as("least recently used").isFalse();
    assertThat(cache.contains("a", pw("password a"), HASH)).isTrue();
    assertThat(cache.contains("d", pw("password d"), HASH)).isTrue();
  }

  @Test
  void aSecondProcessOrInstanceDoesNotShareKeys() {
    cache.add("alice", pw("alice password"), HASH);
    VerifiedCredentials other =
        new VerifiedCredentials(clock, Duration.ofSeconds(60), 3, new SecureRandom());
    assertThat(other.contains("alice", pw("alice password"), HASH)).isFalse();
  }

  @Test
  void negativeBoundsAreRefused() {
    assertThatThrownBy(
            () -> new VerifiedCredentials(clock, Duration.ofSeconds(-1), 3, new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new VerifiedCredentials(clock, Duration.ofSeconds(1), -1, new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
