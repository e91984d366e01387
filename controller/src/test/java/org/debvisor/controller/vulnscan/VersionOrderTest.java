package org.debvisor.controller.vulnscan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionOrderTest {

  private final MavenVersionOrder maven = new MavenVersionOrder();
  private final DebianVersionOrder debian = new DebianVersionOrder();

  @Test
  void mavenOrdersNumbersQualifiersAndPadding() {
    assertThat(maven.compare("2.4.1", "2.4.2")).isNegative();
    assertThat(maven.compare("2.10", "2.9")).isPositive();
    assertThat(maven.compare("1.0", "1.0.0")).isZero();
    assertThat(maven.compare("1.0-final", "1")).isZero();
    assertThat(maven.compare("1.0-rc1", "1.0")).isNegative();
    assertThat(maven.compare("1.0-alpha1", "1.0-beta1")).isNegative();
    assertThat(maven.compare("1.0-SNAPSHOT", "1.0")).isNegative();
    assertThat(maven.compare("1.0-sp1", "1.0")).isPositive();
    assertThat(maven.compare("1.0.1", "1.0-rc1")).isPositive();
    assertThat(maven.compare("4.2.15.Final", "4.2.15")).isZero();
  }

  @Test
  void debianOrdersEpochsTildesAndRevisions() {
    assertThat(debian.compare("1:1.0", "2.0")).isPositive();
    assertThat(debian.compare("1.0~rc1-1", "1.0-1")).isNegative();
    assertThat(debian.compare("1.0-1", "1.0-1+b1")).isNegative();
    assertThat(debian.compare("1.2.13.dfsg-1", "1.3.dfsg+really1.3.1-1+b1")).isNegative();
    assertThat(debian.compare("1:1.3.dfsg+really1.3.1-1+b1", "1:1.2.13.dfsg-1")).isPositive();
    assertThat(debian.compare("2.36-9+deb12u4", "2.36-9+deb12u10")).isNegative();
    assertThat(debian.compare("1.0a", "1.0+")).isNegative();
    assertThat(debian.compare("0010", "10")).isZero();
  }
}
