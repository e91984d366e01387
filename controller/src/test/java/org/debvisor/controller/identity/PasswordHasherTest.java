package org.debvisor.controller.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  // A small cost keeps the test quick; the format and checks are the same at any cost.
  private final PasswordHasher hasher =
      new PasswordHasher(new PasswordHasher.Cost(64, 1, 1), new SecureRandom());

  @Test
  void aHashIsArgon2idInPhcFormatAndChecksOnlyItsPassword() {
    String hash = hasher.hash("correct horse battery".toCharArray());
    assertThat(hash).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
    assertThat(hasher.matches("correct horse battery".toCharArray(), hash)).isTrue();
    assertThat(hasher.matches("correct horse batterY".toCharArray(), hash)).isFalse();
    assertThat(hasher.hash("correct horse battery".toCharArray())).as("salted").isNotEqualTo(hash);
  }

  @Test
  void theStoredCostIsUsedSoARaisedCostKeepsOldHashesValid() {
    String old = hasher.hash("a password of some length".toCharArray());
    PasswordHasher stronger =
        new PasswordHasher(new PasswordHasher.Cost(128, 2, 1), new SecureRandom());
    assertThat(stronger.matches("a password of some length".toCharArray(), old)).isTrue();
  }

  @Test
  void malformedHashesNeverMatch() {
    char[] pw = "anything at all".toCharArray();
    assertThat(hasher.matches(pw, "")).isFalse();
    assertThat(hasher.matches(pw, "$argon2i$v=19$m=64,t=1,p=1$AAAA$AAAA")).isFalse();
    assertThat(hasher.matches(pw, "$argon2id$v=19$m=x,t=1,p=1$AAAA$AAAA")).isFalse();
    assertThat(hasher.matches(pw, "$argon2id$v=19$m=64,t=1,p=1$!!!$AAAA")).isFalse();
    assertThat(hasher.matches(pw, "$argon2id$v=19$m=64,t=1,p=1,q=2$AAAA$AAAA")).isFalse();
  }

  @Test
  void saltAndHashHaveTheirFullLength() {
    String[] parts = hasher.hash("correct horse battery".toCharArray()).split("\\$");
    assertThat(parts).hasSize(6);
    assertThat(parts[4]).as("16 bytes of salt").hasSize(22);
    assertThat(parts[5]).as("32 bytes of hash").hasSize(43);
  }

  @Test
  void aHashWithAnotherLaneCountChecksWithItsOwnCost() {
    PasswordHasher twoLanes =
        new PasswordHasher(new PasswordHasher.Cost(64, 1, 2), new SecureRandom());
    String hash = twoLanes.hash("same password here".toCharArray());
    assertThat(hash).contains("$m=64,t=1,p=2$");
    assertThat(hasher.matches("same password here".toCharArray(), hash)).isTrue();
    // The same salt and hash under a claimed single lane is another derivation.
    assertThat(hasher.matches("same password here".toCharArray(), hash.replace(",p=2$", ",p=1$")))
        .isFalse();
  }

  @Test
  void costsBelowArgon2sMinimumAreRefused() {
    assertThat(new PasswordHasher.Cost(16, 1, 2).memoryKib()).isEqualTo(16);
    assertThatThrownBy(() -> new PasswordHasher.Cost(15, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid Argon2 cost 15/1");
    assertThatThrownBy(() -> new PasswordHasher.Cost(64, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PasswordHasher.Cost(64, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void otherVersionsAndIncompleteCostsNeverMatch() {
    char[] pw = "correct horse battery".toCharArray();
    String hash = hasher.hash(pw);
    assertThat(hasher.matches(pw, hash.replace("$v=19$", "$v=16$"))).isFalse();
    assertThat(hasher.matches(pw, hash.replace("m=64,t=1,p=1", "m=64,t=1"))).isFalse();
    assertThat(hasher.matches(pw, hash.replace("m=64,t=1,p=1", "m=64,t=1,p"))).isFalse();
    assertThat(hasher.matches(pw, hash + "$extra")).isFalse();
  }

  @Test
  void moreChecksThanSlotsAllFinish() {
    // Two derivations at a time: each slot must be given back, or the third would wait forever.
    String hash = hasher.hash("correct horse battery".toCharArray());
    for (int i = 0; i < 5; i++) {
      assertThat(hasher.matches("correct horse battery".toCharArray(), hash)).isTrue();
    }
    hasher.spend("anything".toCharArray());
  }

  @Test
  void derivationsRunOnePerCoreByDefaultAndAtLeastOne() {
    assertThat(hasher.slots()).isEqualTo(Runtime.getRuntime().availableProcessors());
    PasswordHasher one =
        new PasswordHasher(new PasswordHasher.Cost(64, 1, 1), new SecureRandom(), 1);
    assertThat(one.slots()).isEqualTo(1);
    assertThat(one.matches("a password".toCharArray(), one.hash("a password".toCharArray())))
        .isTrue();
    assertThatThrownBy(
            () -> new PasswordHasher(new PasswordHasher.Cost(64, 1, 1), new SecureRandom(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slots must be at least 1, got 0");
  }
}
