package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class FileOwnershipTest {

  @Test
  void emptyMeansRootAndDigitsAreAnIdWhileNamesNeedALookup() {
    assertThat(FileOwnership.numericId("")).isEqualTo(OptionalInt.of(0));
    assertThat(FileOwnership.numericId("0")).isEqualTo(OptionalInt.of(0));
    assertThat(FileOwnership.numericId("4321")).isEqualTo(OptionalInt.of(4321));
    assertThat(FileOwnership.numericId("2147483647")).isEqualTo(OptionalInt.of(Integer.MAX_VALUE));
    assertThat(FileOwnership.numericId("2147483648")).isEmpty();
    assertThat(FileOwnership.numericId("99999999999")).isEmpty();
    assertThat(FileOwnership.numericId("root")).isEmpty();
    assertThat(FileOwnership.numericId("12a")).isEmpty();
    assertThat(FileOwnership.numericId("-1")).isEmpty();
  }
}
