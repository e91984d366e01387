package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;

import org.debvisor.common.violation.Violation;
import org.junit.jupiter.api.Test;

class PreseedParserTest {

  private final PreseedParser parser = new PreseedParser();

  @Test
  void readsAnswersSkippingCommentsAndBlankLines() {
    PreseedParseResult result =
        parser.parse(
            "# comment\n\n  d-i netcfg/hostname string node01\n"
                + "tasksel tasksel/first multiselect standard, ssh-server\n"
                + "d-i mirror/http/proxy string\n");

    assertThat(result.problems()).isEmpty();
    assertThat(result.lines())
        .containsExactly(
            new DebconfLine("d-i", "netcfg/hostname", "string", "node01"),
            new DebconfLine("tasksel", "tasksel/first", "multiselect", "standard, ssh-server"),
            new DebconfLine("d-i", "mirror/http/proxy", "string", ""));
  }

  @Test
  void joinsBackslashContinuations() {
    PreseedParseResult result =
        parser.parse(
            "d-i partman-auto/expert_recipe string r :: \\\n    1 2 3 ext4 . \\\n    4 5 6 xfs .\n"
                + "d-i netcfg/hostname string x\n");

    assertThat(result.problems()).isEmpty();
    assertThat(result.diValue("partman-auto/expert_recipe"))
        .isEqualTo("r ::     1 2 3 ext4 .     4 5 6 xfs .");
    assertThat(result.keys())
        .containsExactly("d-i partman-auto/expert_recipe", "d-i netcfg/hostname");
  }

  @Test
  void aCommentEndingInBackslashSwallowsTheNextLineAsDebconfDoes() {
    PreseedParseResult result =
        parser.parse("# note \\\nd-i netcfg/hostname string hidden\nd-i a/b string c\n");

    assertThat(result.keys()).containsExactly("d-i a/b");
    assertThat(result.problems())
        .extracting(Violation::toString)
        .singleElement()
        .asString()
        .startsWith("line 2: reads like an answer but is part of the comment above it");
  }

  @Test
  void anAnswerJoinedIntoTheValueAboveIsAProblemAndKeepsItsLines() {
    PreseedParseResult result =
        parser.parse("d-i a/b string x\nd-i netcfg/hostname string one \\\nd-i c/d string y\n");

    assertThat(result.answers())
        .extracting(ParsedAnswer::line, ParsedAnswer::lastLine)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 1), org.assertj.core.groups.Tuple.tuple(2, 3));
    assertThat(result.diValue("netcfg/hostname")).isEqualTo("one d-i c/d string y");
    assertThat(result.problems())
        .extracting(Violation::toString)
        .containsExactly(
            "line 3: reads like an answer of its own, but the backslash ending line 2 makes"
                + " debconf append it to the value begun on line 2; remove that backslash");
  }

  @Test
  void aBackslashBeforeACarriageReturnStillJoinsAsInDebconf() {
    PreseedParseResult result = parser.parse("d-i a/b string one \\\r\n  two\r\n");

    assertThat(result.diValue("a/b")).isEqualTo("one   two");
    assertThat(result.problems())
        .extracting(Violation::toString)
        .containsExactly("lines 1-2: contains a carriage return (CRLF line ends?)");
  }

  @Test
  void theSameQuestionTwiceIsNotTheParsersBusiness() {
    PreseedParseResult result = parser.parse("d-i a/b string x\nd-i a/b string y\n");

    assertThat(result.problems()).isEmpty();
    assertThat(result.lines()).hasSize(2);
  }

  @Test
  void reportsEachProblemWithItsLine() {
    PreseedParseResult result =
        parser.parse(
            "d-i a/b string one\n"
                + "not a debconf line at all\n"
                + "d-i a/b string two\n"
                + "d-i c/d boolean yes\n"
                + "d-i e/f strng x\n"
                + "d-i g/h string x\r\n"
                + "onlytwo words\n");

    assertThat(result.problems())
        .extracting(Violation::toString)
        .containsExactly(
            "line 2: unknown debconf type 'debconf'",
            "line 4: c/d: is boolean: value must be true or false",
            "line 5: unknown debconf type 'strng'",
            "line 6: contains a carriage return (CRLF line ends?)",
            "line 7: is not 'owner question type [value]': 'onlytwo words'");
  }

  @Test
  void controlCharacterInAValueIsAProblem() {
    PreseedParseResult result = parser.parse("d-i a/b string x\u0000y\n");

    assertThat(result.problems())
        .extracting(Violation::toString)
        .containsExactly("line 1: contains a control character");
    assertThat(result.lines()).isEmpty();
  }
}
