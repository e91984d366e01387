package org.debvisor.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.debvisor.common.digest.Sha256;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {

  private final TokenRegistry registry =
      new TokenRegistry(
          List.of(
              new OperatorToken("alice", Sha256.hex("alice-token")),
              new OperatorToken("bob", Sha256.hex("bob-token")),
              new OperatorToken("carol", Sha256.hex("carol-token"))));

  @Test
  void eachKnownTokenNamesItsOwnHolder() {
    assertThat(registry.holderOf("alice-token")).contains("alice");
    assertThat(registry.holderOf("bob-token")).contains("bob");
    assertThat(registry.holderOf("carol-token")).contains("carol");
  }

  @Test
  void unknownTokensAndNearMissesNameNobody() {
    assertThat(registry.holderOf("")).isEmpty();
    assertThat(registry.holderOf("alice-token ")).isEmpty();
    assertThat(registry.holderOf("alice-toke")).isEmpty();
    assertThat(registry.holderOf("ALICE-TOKEN")).isEmpty();
    // The stored hash itself is not a token.
    assertThat(registry.holderOf(Sha256.hex("alice-token"))).isEmpty();
  }

  @Test
  void aTokenSeenBeforeStillNamesOnlyItsHolderAndNearMissesStillNameNobody() {
    assertThat(registry.holderOf("alice-token")).contains("alice");
    assertThat(registry.holderOf("bob-token")).contains("bob");

    assertThat(registry.holderOf("alice-token")).contains("alice");
    assertThat(registry.holderOf("alice-tokeN")).isEmpty();
    assertThat(registry.holderOf("alice-toke")).isEmpty();
    assertThat(registry.holderOf("")).isEmpty();
    assertThat(registry.holderOf("bob-token")).contains("bob");
    assertThat(registry.holderOf("carol-token")).contains("carol");
  }

  @Test
  void anEmptyRegistryKnowsNoToken() {
    assertThat(new TokenRegistry(List.of()).holderOf("alice-token")).isEmpty();
  }
}
