package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.controller.node.NodeInstall;
import org.junit.jupiter.api.Test;

class LateCommandBuilderTest {

  private static final Pattern ENCODED =
      Pattern.compile("echo ([A-Za-z0-9+/=]+) \\| base64 -d > (\\S+)");

  private final PreseedData data = TestData.data();
  private final LateCommandBuilder builder =
      new LateCommandBuilder(LateCommandBuilder.DEFAULT_AGENT_PACKAGE);

  @Test
  void installsTheAgentFromTheMediaAndWritesItsConfiguration() {
    NodeInstall node = TestData.exampleNode();

    List<String> commands = builder.commands(node, data.profiles().get("ceph"));

    assertThat(commands)
        .contains(
            "cp /cdrom/debvisor/debvisor-agent.deb /target/tmp/debvisor-agent.deb",
            "in-target apt-get install -y --no-install-recommends /tmp/debvisor-agent.deb",
            "in-target systemctl enable debvisor-agent.service",
            "in-target systemctl enable chrony.service",
            "in-target sh -c 'echo '\\''installed by DebVisor'\\'' > /etc/motd'");
    List<String[]> files = writtenFiles(String.join(" && ", commands));
    assertThat(files)
        .extracting(f -> f[0])
        .containsExactly(
            "/root/.ssh/authorized_keys",
            "/home/debvisor/.ssh/authorized_keys",
            "/etc/sysctl.d/60-debvisor.conf",
            "/etc/modules-load.d/debvisor.conf",
            LateCommandBuilder.AGENT_CONFIG,
            LateCommandBuilder.ENROLMENT_FILE);
    assertThat(files.get(4)[1]).contains("hostname: \"node01\"");
    assertThat(files.get(5)[1])
        .contains(
            "controller: \"controller.example.org:7443\"", "token: \"bt-5Xq2kP9wLr7ZmN4vC8hJ\"");
    assertThat(files.get(2)[1]).contains("vm.swappiness = 10\n");
    assertThat(files.get(0)[1]).startsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPknspr6");
    assertThat(String.join(" && ", commands)).contains("chmod 0600 /etc/debvisor/enrolment.yaml");
  }

  @Test
  void withoutAgentAndKeysOnlyTheProfileFilesAreWritten() {
    NodeInstall node = TestData.parse(TestData.minimalYaml());

    String late = builder.lateCommand(node, data.profiles().get("k8s"));

    assertThat(writtenFiles(late))
        .extracting(f -> f[0])
        .containsExactly("/etc/sysctl.d/60-debvisor.conf", "/etc/modules-load.d/debvisor.conf");
    assertThat(late).doesNotContain("debvisor-agent");
  }

  @Test
  void agentPackagePathMustBeAPlainAbsolutePath() {
    assertThatThrownBy(() -> new LateCommandBuilder("/cdrom/x.deb; reboot"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent package path");
    assertThatThrownBy(() -> new LateCommandBuilder("relative.deb"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quotingRefusesControlCharacters() {
    assertThat(ShellQuoting.quote("plain-word_1.2")).isEqualTo("plain-word_1.2");
    assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
    assertThatThrownBy(() -> ShellQuoting.quote("a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Each file a late command writes: {path, decoded content}. */
  private static List<String[]> writtenFiles(String lateCommand) {
    List<String[]> files = new ArrayList<>();
    Matcher m = ENCODED.matcher(lateCommand);
    while (m.find()) {
      files.add(
          new String[] {
            m.group(2), new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8)
          });
    }
    return files;
  }
}
