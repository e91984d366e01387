package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link DebvisorCli#forArguments}: the main class builds only the top-level subcommand the
 * arguments name; what a user sees must be what the whole tree would show.
 */
class LazyCommandTreeTest {

  private static final Map<String, String> ENV = Map.of();

  /** Output and exit code of one run. */
  private record Run(int code, String out, String err) {}

  private static Run run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void namesTheSameSubcommandsAsTheWholeTreeInTheSameOrder() {
    List<String> whole = List.copyOf(DebvisorCli.create(null, ENV).getSubcommands().keySet());

    assertThat(List.copyOf(DebvisorCli.topLevelNames())).isEqualTo(whole);
  }

  @Test
  void buildsOnlyTheNamedSubcommand() {
    for (String name : DebvisorCli.topLevelNames()) {
      if (name.equals("generate-completion")) {
        continue;
      }
      CommandLine cli = DebvisorCli.forArguments(null, ENV, name, "--help");

      assertThat(cli.getSubcommands().keySet()).as(name).containsExactly(name);
    }
  }

  @Test
  void isoBuildBuildsItsOwnCommandButNotItsSiblings() {
    CommandLine build = DebvisorCli.forArguments(null, ENV, "iso", "build", "--help");
    CommandLine iso = DebvisorCli.forArguments(null, ENV, "iso", "--help");

    assertThat(build.getSubcommands().get("iso").getSubcommands().keySet())
        .containsExactly("build");
    assertThat(iso.getSubcommands().get("iso").getSubcommands().keySet())
        .containsExactly("build", "preflight", "test");
  }

  @Test
  void versionNeedsNoSubcommand() {
    CommandLine cli = DebvisorCli.forArguments(null, ENV, "--version");

    assertThat(cli.getSubcommands()).isEmpty();
    Run run = run(cli, "--version");
    assertThat(run.code()).isZero();
    assertThat(run.out()).startsWith("debvisor ");
  }

  @Test
  void subcommandHelpIsTheSameAsFromTheWholeTree() {
    String[] args = {"iso", "build", "--help"};

    Run lazy = run(DebvisorCli.forArguments(null, ENV, args), args);
    Run whole = run(DebvisorCli.create(null, ENV), args);

    assertThat(lazy.code()).isZero();
    assertThat(lazy.out()).contains("Usage: debvisor iso build").isEqualTo(whole.out());
  }

  @Test
  void missingOptionIsRefusedAsByTheWholeTree() {
    String[] args = {"iso", "build", "--arch", "amd64"};

    Run lazy = run(DebvisorCli.forArguments(null, ENV, args), args);
    Run whole = run(DebvisorCli.create(null, ENV), args);

    assertThat(lazy.code()).isEqualTo(DebvisorCli.EXIT_INVALID);
    assertThat(lazy.err()).contains("Missing required options").isEqualTo(whole.err());
    assertThat(lazy.out()).isEmpty();
  }

  @Test
  void isoBuildReportsABadNodeYamlAsTheWholeTreeDoes(@TempDir Path dir) throws Exception {
    // forArguments loads iso build's YAML reader and preseed data on a background thread.
    Path node = Files.writeString(dir.resolve("node.yaml"), "hostname: web-1\nprofil: base\n");
    String[] args = {
      "iso", "build", "--arch", "amd64", "--node", node.toString(), "--out", dir.toString()
    };

    Run lazy = run(DebvisorCli.forArguments(null, ENV, args), args);
    Run whole = run(DebvisorCli.create(null, ENV), args);

    assertThat(lazy.code()).isEqualTo(DebvisorCli.EXIT_INVALID);
    assertThat(lazy.err()).contains("invalid input in", "profil").isEqualTo(whole.err());
    assertThat(lazy.out()).isEmpty();
  }

  @Test
  void mistypedSubcommandGetsTheWholeTreesSuggestion() {
    CommandLine cli = DebvisorCli.forArguments(null, ENV, "isoo", "build");

    assertThat(cli.getSubcommands().keySet()).containsAll(DebvisorCli.topLevelNames());
    Run run = run(cli, "isoo", "build");
    assertThat(run.code()).isEqualTo(DebvisorCli.EXIT_INVALID);
    assertThat(run.err()).contains("isoo").contains("iso");
  }

  @Test
  void completionScriptCoversEveryCommand() {
    Run run =
        run(DebvisorCli.forArguments(null, ENV, "generate-completion"), "generate-completion");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("rollout").contains("provision-node").contains("iso");
  }
}
