package org.debvisor.controller.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.debvisor.agent.settings.SettingsException;
import org.debvisor.agent.settings.SettingsLoader;
import org.debvisor.agent.settings.SettingsProblem;
import org.debvisor.agentapi.AgentPaths;
import org.debvisor.agentapi.AgentSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What SSH provisioning writes is checked with the agent's own loader. */
class AgentConfigTest {

  @TempDir Path root;

  /**
   * Installs agent.yaml (and the CA the provisioner copies) under root; loads it like the agent.
   */
  private AgentSettings installAndLoad(String yaml) throws Exception {
    Path config = root.resolve(AgentPaths.CONFIG_FILE.substring(1));
    Files.createDirectories(config.getParent());
    Files.writeString(config, yaml);
    Files.writeString(root.resolve(AgentPaths.CA_FILE.substring(1)), "pem");
    return new SettingsLoader(root).load(config);
  }

  @Test
  void standaloneAgentGetsNoControllerSection() throws Exception {
    String text = AgentConfig.render("ceph", null, "10.0.0.5");
    AgentSettings s = installAndLoad(text);
    assertThat(text).doesNotContain("controller:").doesNotContain("grpc:");
    assertThat(s.controller().enabled()).isFalse();
    assertThat(s.grpc().listen()).containsExactly("127.0.0.1:5000");
    assertThat(s.logging().format()).isEqualTo("json");
  }

  @Test
  void enrollingAgentNamesControllerCaTokenFileProfileAndServesOnItsAddress() throws Exception {
    String text = AgentConfig.render("k8s", "ctl.example:5443", "fd00::5");
    AgentSettings s = installAndLoad(text);
    assertThat(s.controller().address()).isEqualTo("ctl.example:5443");
    assertThat(s.controller().caFile()).isEqualTo(Path.of(AgentPaths.CA_FILE));
    assertThat(s.controller().tokenFile()).isEqualTo(Path.of(AgentPaths.TOKEN_FILE));
    assertThat(s.controller().profile()).isEqualTo("k8s");
    assertThat(s.grpc().listen()).containsExactly("127.0.0.1:5000", "[fd00::5]:5000");
    assertThat(s).isEqualTo(AgentConfig.settings("k8s", "ctl.example:5443", "fd00::5"));
  }

  @Test
  void quotesValuesSoTheyCannotBecomeYaml() throws Exception {
    String hostile = "ctl:5443\"\nauth:\n  tokens: [x]";
    String text = AgentConfig.render("ceph", hostile, "");
    assertThat(text).doesNotContain("\nauth:");
    // The agent refuses the address and nothing else: the hostile text stayed one value.
    assertThatThrownBy(() -> installAndLoad(text))
        .isInstanceOfSatisfying(
            SettingsException.class,
            e ->
                assertThat(e.problems())
                    .extracting(SettingsProblem::key)
                    .containsExactly("controller.address"));
  }
}
