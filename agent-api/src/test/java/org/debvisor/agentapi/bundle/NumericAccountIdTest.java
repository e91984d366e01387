package org.debvisor.agentapi.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NumericAccountIdTest {

  @Test
  void oneToTenAsciiDigitsAreANumber() {
    assertThat(NumericAccountId.of("0")).hasValue(0);
    assertThat(NumericAccountId.of("1000")).hasValue(1000);
    assertThat(NumericAccountId.of("9999999999")).hasValue(9_999_999_999L);
  }

  @Test
  void anythingElseIsNot() {
    assertThat(NumericAccountId.of("")).isEmpty();
    assertThat(NumericAccountId.of("12345678901")).isEmpty();
    assertThat(NumericAccountId.of("-1")).isEmpty();
    assertThat(NumericAccountId.of("+1")).isEmpty();
    assertThat(NumericAccountId.of("1a")).isEmpty();
    assertThat(NumericAccountId.of("\u0663")).as("an Arabic-Indic digit").isEmpty();
  }
}
