package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixture corpus and the project's own rendered preseeds: realistic files validate without
 * errors, the bad examples fail with the right finding.
 */
class PreseedCorpusTest {

  private static final Path CORPUS = Path.of("src/test/resources/preseed-corpus");
  private static final Path GOLDEN =
      Path.of(System.getProperty("debvisor.goldenDir", "src/test/resources/golden"));

  private final PreseedValidator validator = new PreseedValidator(false);

  static Stream<Path> goodFiles() throws IOException {
    return list(CORPUS.resolve("good"));
  }

  static Stream<Path> goldenFiles() throws IOException {
    return list(GOLDEN);
  }

  private static Stream<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.filter(p -> p.toString().endsWith(".preseed")).sorted().toList();
      assertThat(all).as("fixtures in " + dir).hasSizeGreaterThanOrEqualTo(4);
      return all.stream();
    }
  }

  private PreseedReport validate(Path file) throws IOException {
    return validator.validate(Files.readString(file));
  }

  private List<String> findings(String name) throws IOException {
    return validate(CORPUS.resolve("bad").resolve(name)).findings().stream()
        .map(f -> f.severity().label() + " " + f)
        .toList();
  }

  @ParameterizedTest
  @MethodSource("goodFiles")
  void realisticPreseedHasNoErrors(Path file) throws IOException {
    PreseedReport report = validate(file);

    assertThat(report.errors()).as(file.toString()).isEmpty();
    assertThat(report.answers()).isGreaterThan(10);
  }

  @Test
  void theSameAnswerTwiceIsOneWarning() throws IOException {
    PreseedReport report = validate(CORPUS.resolve("good/dhcp-desktop-style.preseed"));

    assertThat(report.warnings())
        .extracting(Finding::toString)
        .containsExactly(
            "line 24: time/zone: answered again with the same value as on line 7; one of the two"
                + " lines can go");
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void renderedPreseedHasNoFindingAtAll(Path file) throws IOException {
    assertThat(validate(file).findings()).as(file.toString()).isEmpty();
  }

  @Test
  void hostnameWithUnderscoreAndEmptyLabelIsRefused() throws IOException {
    assertThat(findings("bad-hostname.preseed"))
        .containsExactly(
            "error line 2: netcfg/get_hostname: "
                + NetworkAnswerRules.HOSTNAME_RULE
                + " (value 'bad_host..name')");
  }

  @Test
  void cryptedPasswordThatIsNoHashIsRefused() throws IOException {
    assertThat(findings("notahash.preseed"))
        .singleElement()
        .asString()
        .startsWith("error line 2: passwd/root-password-crypted: looks like a plain-text password")
        .doesNotContain("notahash");
  }

  @Test
  void plainTextRootPasswordIsAnErrorByDefault() throws IOException {
    assertThat(findings("plaintext-root-password.preseed"))
        .hasSize(2)
        .allSatisfy(
            f ->
                assertThat(f)
                    .startsWith("error line ")
                    .contains(
                        "is a plain-text password, which DebVisor refuses",
                        "passwd/root-password-crypted",
                        "--allow-plaintext-passwords")
                    .doesNotContain("insecure"));
  }

  @Test
  void plainTextPasswordIsOnlyAWarningWhenAllowed() throws IOException {
    PreseedReport report =
        new PreseedValidator(true)
            .validate(Files.readString(CORPUS.resolve("bad/plaintext-root-password.preseed")));

    assertThat(report.valid()).isTrue();
    assertThat(report.warnings())
        .extracting(Finding::line, Finding::question)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2, "passwd/root-password"),
            org.assertj.core.groups.Tuple.tuple(3, "passwd/root-password-again"));
  }

  @Test
  void backslashJoinedLineIsCheckedAsTheJoinedValue() throws IOException {
    assertThat(findings("backslash-joined.preseed"))
        .containsExactly(
            "error lines 2-3: netcfg/get_hostname: "
                + NetworkAnswerRules.HOSTNAME_RULE
                + " (value 'node01 d-i netcfg/get_domain string example.org', joined from lines"
                + " 2-3 by trailing backslashes)",
            "error line 3: reads like an answer of its own, but the backslash ending line 2"
                + " makes debconf append it to the value begun on line 2; remove that backslash");
  }

  @Test
  void differentValuesForOneQuestionNameBothLines() throws IOException {
    assertThat(findings("duplicate-different.preseed"))
        .containsExactly(
            "error line 3: partman-auto/disk: answered twice with different values: line 1 says"
                + " '/dev/sda', line 3 says '/dev/sdb'; debconf would silently keep the last"
                + " one, so remove the one you do not mean");
  }

  @Test
  void answerSwallowedByACommentIsAnError() throws IOException {
    assertThat(findings("commented-out-answer.preseed"))
        .singleElement()
        .asString()
        .startsWith("error line 2: reads like an answer but is part of the comment above it");
  }
}
