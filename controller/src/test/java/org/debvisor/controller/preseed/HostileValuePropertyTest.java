package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.NodeLoader;

/**
 * Hostile strings in any field of node.yaml: either the node is refused, or its preseed answers
 * exactly the same questions as the example's, line for line, with late_command on one line.
 */
class HostileValuePropertyTest {

  private static final PreseedData DATA = TestData.data();
  private static final NodeYamlFields FIELDS = new NodeYamlFields(TestData.exampleYaml());
  private static final PreseedGenerator GENERATOR =
      new PreseedGenerator(DATA, LateCommandBuilder.DEFAULT_AGENT_PACKAGE);

  @Property(tries = 400)
  void hostileValueIsRefusedOrChangesNoQuestion(
      @ForAll("fieldPaths") String path,
      @ForAll("hostileStrings") String value,
      @ForAll Architecture arch)
      throws InvalidInputException {
    String baseline = GENERATOR.generate("example", TestData.exampleNode(), arch);
    NodeInstall node;
    try {
      node = new NodeLoader().parse("hostile.yaml", FIELDS.with(path, value));
    } catch (InvalidInputException refusedByLoader) {
      assertThat(refusedByLoader.problems()).isNotEmpty();
      outcome("refused");
      return;
    }
    if (!GENERATOR.validate(node).isEmpty()) {
      outcome("refused");
      return;
    }
    outcome("rendered");

    String rendered = GENERATOR.generate("hostile.yaml", node, arch);

    PreseedParser parser = new PreseedParser();
    PreseedParseResult parsed = parser.parse(rendered);
    assertThat(parsed.problems()).isEmpty();
    assertThat(new PreseedValidator(false).validate(rendered).findings()).isEmpty();
    assertThat(parsed.keys()).isEqualTo(parser.parse(baseline).keys());
    assertThat(rendered.lines().count()).isEqualTo(baseline.lines().count());
    List<String> lateLines =
        rendered.lines().filter(l -> l.startsWith("d-i preseed/late_command ")).toList();
    assertThat(lateLines).hasSize(1);
    assertThat(lateLines.get(0)).doesNotEndWith("\\");
    assertThat(parsed.diValue("preseed/late_command"))
        .isEqualTo(lateLines.get(0).substring("d-i preseed/late_command string ".length()));
  }

  // Both branches must really run, or the property would prove nothing about rendering.
  private static void outcome(String what) {
    Statistics.label("outcome").collect(what);
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("rendered").count(n -> n >= 1);
              c.check("refused").count(n -> n >= 1);
            });
  }

  @Property(tries = 150)
  void shellQuotingRoundTripsThroughARealShell(@ForAll("printableAscii") String arg)
      throws IOException, InterruptedException {
    Process sh =
        new ProcessBuilder("/bin/sh", "-c", "printf '%s' " + ShellQuoting.quote(arg))
            .redirectErrorStream(true)
            .start();
    byte[] out = sh.getInputStream().readAllBytes();
    assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();

    assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo(arg);
  }

  @Provide
  Arbitrary<String> fieldPaths() {
    return Arbitraries.of(FIELDS.stringPaths());
  }

  @Provide
  Arbitrary<String> hostileStrings() {
    Arbitrary<String> fragments =
        Arbitraries.of(
            "\n",
            "\r",
            "\u0000",
            "\nd-i preseed/late_command string reboot",
            "\\\nd-i partman/confirm boolean false",
            ";reboot",
            "$(reboot)",
            "`reboot`",
            "'",
            "\"",
            "\\",
            "|",
            "&&",
            "#",
            " ",
            "\t",
            "\u2028",
            "\u0085",
            "..",
            "/",
            ":",
            "node01",
            "192.0.2.1",
            "/dev/sda",
            "10G",
            "unlimited",
            "auto",
            "ext4",
            "d-i");
    Arbitrary<String> joined =
        fragments.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("", parts));
    Arbitrary<String> random =
        Arbitraries.strings().withCharRange('\u0000', '\u2100').ofMaxLength(12);
    return Arbitraries.oneOf(
        joined, random, Combinators.combine(joined, random).as((a, b) -> a + b));
  }

  @Provide
  Arbitrary<String> printableAscii() {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30);
  }
}
