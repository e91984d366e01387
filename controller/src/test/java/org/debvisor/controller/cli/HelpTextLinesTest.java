package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Picocli prints each element of a {@code description} array on its own line and wraps within it,
 * so an element that stops mid-sentence shows as a ragged break in {@code --help}. Every command's
 * and option's description must break only where a sentence, clause or list item ends.
 */
class HelpTextLinesTest {

  @Test
  void descriptionsBreakOnlyBetweenSentencesInEveryCommand() {
    CommandLine root = DebvisorCli.create(Path.of("debvisor.jar"), Map.of());
    List<String> ragged = new ArrayList<>();
    collect(root, ragged);
    assertThat(ragged).as("description lines that stop mid-sentence").isEmpty();
  }

  @Test
  void aMidSentenceBreakIsFound() {
    List<String> ragged = new ArrayList<>();
    check("x", new String[] {"List the things of the", "database, and more."}, ragged);
    check("y", new String[] {"One sentence.", "Another one:", "  - an item", "- more"}, ragged);
    check("z", new String[] {"Of the", "CA key.", "See e.g.", "docs."}, ragged);
    assertThat(ragged)
        .containsExactly(
            "x: \"List the things of the\" / \"database, and more.\"",
            "z: \"Of the\" / \"CA key.\"",
            "z: \"See e.g.\" / \"docs.\"");
  }

  private static void collect(CommandLine line, List<String> ragged) {
    CommandSpec spec = line.getCommandSpec();
    check(spec.qualifiedName(), spec.usageMessage().description(), ragged);
    for (OptionSpec option : spec.options()) {
      check(spec.qualifiedName() + " " + option.longestName(), option.description(), ragged);
    }
    for (CommandLine sub : line.getSubcommands().values()) {
      collect(sub, ragged);
    }
  }

  private static void check(String where, String[] lines, List<String> ragged) {
    for (int i = 0; i + 1 < lines.length; i++) {
      if (continuesSentence(lines[i], lines[i + 1])) {
        ragged.add(where + ": \"" + lines[i] + "\" / \"" + lines[i + 1] + "\"");
      }
    }
  }

  // A list item (indented or dashed) or a blank line may follow anything; otherwise a line ends
  // with a sentence (not an abbreviation such as "e.g.") or introduces what follows with a colon.
  private static boolean continuesSentence(String line, String next) {
    String end = line.strip();
    String start = next.strip();
    if (end.isEmpty() || start.isEmpty() || next.startsWith(" ") || next.startsWith("-")) {
      return false;
    }
    if (end.endsWith(".")) {
      return Character.isLowerCase(start.charAt(0));
    }
    return !end.endsWith(":");
  }
}
