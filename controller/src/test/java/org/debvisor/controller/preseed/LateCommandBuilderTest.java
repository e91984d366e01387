package org.debvisor.controller.preseed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.agent.settings.SettingsLoader;
import org.debvisor.agentapi.AgentPaths;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.controller.node.NodeInstall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LateCommandBuilderTest {

  private static final Pattern ENCODED =
      Pattern.compile("echo ([A-Za-z0-9+/=]+) \\| base64 -d > (\\S+)");

  @TempDir Path root;

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
            AgentPaths.TOKEN_FILE,
            AgentPaths.CONFIG_FILE);
    assertThat(files.get(5)[1])
        .contains("hostname: \"node01\"", "address: \"controller.example.org:7443\"");
    assertThat(files.get(4)[1]).isEqualTo("bt-5Xq2kP9wLr7ZmN4vC8hJ\n");
    assertThat(files.get(2)[1]).contains("vm.swappiness = 10\n");
    assertThat(files.get(0)[1]).startsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPknspr6");
    assertThat(String.join(" && ", commands))
        .contains("chmod 0600 /etc/debvisor/bootstrap-token")
        .contains(
            "cp /cdrom/debvisor/controller-ca.pem /target/etc/debvisor/controller-ca.pem",
            "grep -q '\\''^3f4a9c127e550bd18a6f22e9c4710d3b95e847a12c6bf0835d19ae74c208b65f '")
        .doesNotContain("enrolment.yaml");
  }

  @Test
  void theInstalledAgentLoadsItsConfigurationWithEnrolment() throws Exception {
    NodeInstall node = TestData.exampleNode();
    String late = builder.lateCommand(node, data.profiles().get("ceph"));
    // Play the late command's file writes into a tree, and the CA it copies from the media.
    for (String[] file : writtenFiles(late)) {
      Path target = root.resolve(file[0].substring(1));
      Files.createDirectories(target.getParent());
      Files.writeString(target, file[1]);
    }
    assertThat(late)
        .contains(
            "cp " + LateCommandBuilder.CONTROLLER_CA_ON_MEDIA + " /target" + AgentPaths.CA_FILE);
    Files.writeString(root.resolve(AgentPaths.CA_FILE.substring(1)), "pem");

    AgentSettings settings =
        new SettingsLoader(root).load(root.resolve(AgentPaths.CONFIG_FILE.substring(1)));

    assertThat(settings.node().hostname()).isEqualTo("node01");
    assertThat(settings.controller().address()).isEqualTo("controller.example.org:7443");
    assertThat(settings.controller().profile()).isEqualTo("ceph");
    assertThat(root.resolve(settings.controller().tokenFile().toString().substring(1)))
        .hasContent("bt-5Xq2kP9wLr7ZmN4vC8hJ");
    assertThat(late).contains("chmod 0600 " + settings.controller().tokenFile());
  }

  @Test
  void theCaCheckAcceptsTheFingerprintedCertificateOnly() throws Exception {
    // The late command's check, run here on a real certificate: PEM body to DER to SHA-256.
    byte[] der = Base64.getDecoder().decode("MAMCAQE=");
    String pem =
        "subject=CN = test\n-----BEGIN CERTIFICATE-----\n"
            + Base64.getEncoder().encodeToString(der)
            + "\n-----END CERTIFICATE-----\n";
    String fingerprint =
        HexFormat.ofDelimiter(":")
            .formatHex(MessageDigest.getInstance("SHA-256").digest(der))
            .toUpperCase(java.util.Locale.ROOT);
    Path ca = Files.writeString(root.resolve("ca.pem"), pem);

    assertThat(runCaCheck(fingerprint, ca)).isZero();
    assertThat(runCaCheck("00" + fingerprint.substring(2), ca)).isEqualTo(1);
  }

  private int runCaCheck(String fingerprint, Path ca) throws Exception {
    String yaml =
        TestData.exampleYaml()
            .replace(
                "3f:4a:9c:12:7e:55:0b:d1:8a:6f:22:e9:c4:71:0d:3b:95:e8:47:a1:2c:6b:f0:83:5d:19:ae:74:c2:08:b6:5f",
                fingerprint);
    String check =
        builder.commands(TestData.parse(yaml), data.profiles().get("ceph")).stream()
            .filter(c -> c.contains("sha256sum"))
            .findFirst()
            .orElseThrow();
    // in-target sh -c '<script>': run the script here, on the test's file for the node's.
    String script =
        check.replace(AgentPaths.CA_FILE, ca.toString()).replaceFirst("^in-target ", "");
    Process run = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    run.getInputStream().readAllBytes();
    return run.waitFor();
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
