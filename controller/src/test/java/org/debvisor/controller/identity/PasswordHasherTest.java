package org.debvisor.controller.identity;

import static org.assertj.core.api.Assertions.assertThat;

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
}
