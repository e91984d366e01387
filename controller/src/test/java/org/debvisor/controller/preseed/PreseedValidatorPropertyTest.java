package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated hostile files: edits of the realistic fixtures (a hostile value, a stray backslash, a
 * repeated answer) and free-form garbage. Pure Java, a few hundred tries each.
 */
class PreseedValidatorPropertyTest {

  private static final Path GOOD = Path.of("src/test/resources/preseed-corpus/good");
  private static final List<List<String>> BASES = bases();

  /**
   * Free-form values: a metacharacter there would not break the answer (they are checked apart).
   */
  private static final Set<String> FREE_FORM =
      Set.of("preseed/late_command", "partman-auto/expert_recipe");

  private final PreseedValidator validator = new PreseedValidator(false);

  private static List<List<String>> bases() {
    try (var files = Files.list(GOOD)) {
      List<List<String>> bases = new ArrayList<>();
      for (Path file : files.sorted().toList()) {
        bases.add(Files.readAllLines(file));
      }
      return bases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A base file and the index of one of its single-line answers, drawn together. */
  record Target(List<String> lines, int index, ParsedAnswer answer) {}

  @Provide
  Arbitrary<Target> singleLineAnswers() {
    return Arbitraries.of(BASES)
        .flatMap(
            lines -> {
              List<ParsedAnswer> single =
                  new PreseedParser()
                      .parse(String.join("\n", lines) + "\n").answers().stream()
                          .filter(a -> !a.joined())
                          .toList();
              return Arbitraries.of(single).map(a -> new Target(lines, a.line() - 1, a));
            });
  }

  @Provide
  Arbitrary<String> metacharacters() {
    return Arbitraries.of(";", "'", "\"", "$(", "`", "|", "&", "<", ">", "\\x", "*", "{", "}");
  }

  @Property(tries = 200)
  void metacharacterInACheckedValueIsAnErrorOnItsLine(
      @ForAll("singleLineAnswers") Target target,
      @ForAll("metacharacters") String meta,
      @ForAll boolean prepend) {
    DebconfLine answer = target.answer().answer();
    String question = answer.question();
    boolean checked = new AnswerRules(Set.of()).knows(question) || question.endsWith("-crypted");
    if (!checked || FREE_FORM.contains(question)) {
      return;
    }
    String value = prepend ? meta + answer.value() : answer.value() + meta;
    List<String> lines = new ArrayList<>(target.lines());
    lines.set(target.index(), answer.owner() + " " + question + " " + answer.type() + " " + value);

    PreseedReport report = validator.validate(String.join("\n", lines) + "\n");

    assertThat(report.errors())
        .as(lines.get(target.index()))
        .anySatisfy(
            f -> {
              assertThat(f.line()).isEqualTo(target.index() + 1);
              assertThat(f.question()).isEqualTo(question);
            });
  }

  @Property(tries = 150)
  void strayBackslashBeforeAnAnswerIsAnErrorNamingBothLines(
      @ForAll("singleLineAnswers") Target target, @ForAll boolean spaceBefore) {
    int next = target.index() + 1;
    if (next >= target.lines().size() || !target.lines().get(next).startsWith("d-i ")) {
      return;
    }
    List<String> lines = new ArrayList<>(target.lines());
    lines.set(target.index(), lines.get(target.index()) + (spaceBefore ? " \\" : "\\"));

    PreseedReport report = validator.validate(String.join("\n", lines) + "\n");

    assertThat(report.errors())
        .extracting(Finding::toString)
        .contains(
            "line "
                + (next + 1)
                + ": reads like an answer of its own, but the backslash ending line "
                + next
                + " makes debconf append it to the value begun on line "
                + next
                + "; remove that backslash");
  }

  @Property(tries = 150)
  void repeatedAnswerIsAWarningAndAChangedOneAnErrorNamingBothLines(
      @ForAll("singleLineAnswers") Target target, @ForAll boolean changeValue) {
    PreseedReport before = validator.validate(String.join("\n", target.lines()) + "\n");
    List<String> lines = new ArrayList<>(target.lines());
    String copy = lines.get(target.index());
    DebconfLine answer = target.answer().answer();
    if (changeValue) {
      copy =
          answer.owner()
              + " "
              + answer.question()
              + " "
              + answer.type()
              + " "
              + (answer.type().equals("boolean")
                  ? String.valueOf(!Boolean.parseBoolean(answer.value()))
                  : answer.value() + "2");
    }
    lines.add(copy);
    int added = lines.size();

    PreseedReport after = validator.validate(String.join("\n", lines) + "\n");

    List<Finding> onAdded =
        after.findings().stream()
            .filter(f -> f.line() == added && f.rule().startsWith("answered"))
            .toList();
    assertThat(onAdded).hasSize(1);
    Finding duplicate = onAdded.get(0);
    if (changeValue) {
      assertThat(duplicate.severity()).isEqualTo(Severity.ERROR);
      assertThat(duplicate.rule())
          .startsWith("answered twice with different values: line ")
          .contains("line " + added + " says");
    } else {
      assertThat(duplicate.severity()).isEqualTo(Severity.WARNING);
      assertThat(after.errors()).isEqualTo(before.errors());
    }
  }

  @Provide
  Arbitrary<String> hostileFiles() {
    Arbitrary<String> piece =
        Arbitraries.oneOf(
            Arbitraries.of(
                "d-i",
                "tasksel",
                "netcfg/get_hostname",
                "passwd/root-password",
                "passwd/user-password-crypted",
                "partman-auto/disk",
                "mirror/http/proxy",
                "string",
                "password",
                "boolean",
                "select",
                "#",
                "\\",
                " \\",
                "\r",
                "\t",
                " ",
                "  ",
                "\u0000",
                "\u2028",
                "\uFEFF",
                "\uD800",
                "::",
                ".",
                "$6$",
                "Geheim-Passwort"),
            Arbitraries.strings().ofMaxLength(12));
    Arbitrary<String> line = piece.list().ofMaxSize(8).map(parts -> String.join(" ", parts));
    return line.list().ofMaxSize(30).map(lines -> String.join("\n", lines));
  }

  @Property(tries = 200)
  void garbageNeverThrowsAndEveryFindingPointsIntoTheFileWithoutLeakingPasswords(
      @ForAll("hostileFiles") String text) {
    PreseedReport report = validator.validate(text);

    int physicalLines = text.isEmpty() ? 0 : text.split("\n", -1).length;
    for (Finding f : report.findings()) {
      assertThat(f.lastLine()).isLessThanOrEqualTo(physicalLines);
      if (f.question().startsWith("passwd/")) {
        assertThat(f.rule()).doesNotContain("Geheim-Passwort");
      }
    }
    assertThat(report.valid()).isEqualTo(report.errors().isEmpty());
  }
}
