package org.debvisor.controller.vulnscan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CVSS v3.x base scores of common vectors (9.8, 10.0, 7.5, 7.8, 5.9, 6.1 and 6.4 are the scores
 * published for them; 8.4 and 1.6 worked by hand from the formula), both scopes, every letter of
 * each base metric at least once, refused vectors, Roundup and the rating boundaries.
 */
class CvssV3VectorTest {

  @ParameterizedTest
  @CsvSource({
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, 9.8, CRITICAL",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H, 10.0, CRITICAL",
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N, 7.5, HIGH",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H, 7.8, HIGH",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N, 5.9, MODERATE",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N, 6.1, MODERATE",
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N, 6.4, MODERATE",
    "CVSS:3.1/AV:A/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H, 8.4, HIGH",
    "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N, 1.6, LOW",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N, 0.0, UNKNOWN",
  })
  void scoresAndRatesLikeTheSpecification(String vector, double score, Severity rating) {
    CvssV3Vector parsed = CvssV3Vector.parse(vector).orElseThrow();

    assertThat(parsed.baseScore()).isEqualTo(score);
    assertThat(Severity.ofCvssScore(parsed.baseScore())).isEqualTo(rating);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:2.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:Q/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E",
        "9.8"
      })
  void refusesWhatIsNotACompleteV3Vector(String text) {
    assertThat(CvssV3Vector.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"4.000000000000001, 4.0", "4.02, 4.1", "4.1, 4.1", "0.0, 0.0"})
  void roundsUpToOneDecimalIgnoringFloatingPointNoise(double value, double rounded) {
    assertThat(CvssV3Vector.roundUp(value)).isEqualTo(rounded);
  }

  @ParameterizedTest
  @CsvSource({
    "9.0, CRITICAL",
    "8.9, HIGH",
    "7.0, HIGH",
    "6.9, MODERATE",
    "4.0, MODERATE",
    "3.9, LOW",
    "0.1, LOW",
    "0.0, UNKNOWN"
  })
  void ratesAtTheCvssBoundaries(double score, Severity rating) {
    assertThat(Severity.ofCvssScore(score)).isEqualTo(rating);
  }
}
