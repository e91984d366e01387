package org.debvisor.controller.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The checker itself: it must catch what DocumentationTest promises to catch. */
class DocumentedCommandTest {

  private static final Map<String, CommandLine> TREES = CommandTrees.all();

  private static List<String> problemsOf(String line) {
    return ShellWords.commands(line).stream()
        .flatMap(words -> DocumentedCommand.of(words).stream())
        .flatMap(command -> command.problems(TREES.get(command.program())).stream())
        .toList();
  }

  @Test
  void splitsShellLinesIntoCommands() {
    assertThat(ShellWords.commands("TOKEN=$(debvisor token create --ttl 1h) # a comment"))
        .containsExactly(List.of("TOKEN="), List.of("debvisor", "token", "create", "--ttl", "1h"));
    assertThat(ShellWords.commands("hvctl nodes; k8sctl nodes -o json | jq ."))
        .containsExactly(
            List.of("hvctl", "nodes"),
            List.of("k8sctl", "nodes", "-o", "json"),
            List.of("jq", "."));
    assertThat(ShellWords.commands("debvisor nodes list --selector 'a=b,c>=4'"))
        .containsExactly(List.of("debvisor", "nodes", "list", "--selector", "a=b,c>=4"));
  }

  @Test
  void acceptsRealCommandsWithPlaceholders() {
    assertThat(problemsOf("sudo debvisor token create --ttl 1h --host ceph-1 --profile ceph"))
        .isEmpty();
    assertThat(problemsOf("debvisor iso test --mode image ISO --ssh-key KEY [--ssh-user root]"))
        .isEmpty();
    assertThat(problemsOf("scripts/debvisor preseed render|validate")).isEmpty();
    assertThat(problemsOf("debvisor-provision-node --host root@10.0.0.5 --profile ceph …"))
        .isEmpty();
    assertThat(problemsOf("grpcurl -plaintext localhost:5000 list")).isEmpty();
  }

  @Test
  void reportsAnUnknownOptionWithTheCommandItWasGivenTo() {
    assertThat(problemsOf("debvisor token create --hostname ceph-1"))
        .singleElement(STRING)
        .contains("`--hostname` is not an option of `debvisor token create`", "--host");
  }

  @Test
  void reportsAnUnknownSubcommandAndAnOptionOfAnotherCommand() {
    assertThat(problemsOf("debvisor nodes delete n1"))
        .singleElement(STRING)
        .contains("`debvisor nodes` has no subcommand `delete`");
    assertThat(problemsOf("cephctl health --ssh-key k"))
        .singleElement(STRING)
        .contains("`--ssh-key` is not an option of `cephctl health`");
  }

  @Test
  void makesHeadingAnchorsTheWayGitHubDoes() {
    assertThat(MarkdownFile.slug("Building the image (`image build`)"))
        .isEqualTo("building-the-image-image-build");
    assertThat(MarkdownFile.slug("Controller, SSH provisioning and the fleet view"))
        .isEqualTo("controller-ssh-provisioning-and-the-fleet-view");
  }
}
