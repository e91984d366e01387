package org.debvisor.agent.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.debvisor.agentapi.AgentPaths;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.AgentYamlWriter;
import org.debvisor.agentapi.AuthSettings;
import org.debvisor.agentapi.CephSettings;
import org.debvisor.agentapi.CollectorsSettings;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.agentapi.ControllerSettings;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.LoggingSettings;
import org.debvisor.agentapi.NodeSettings;
import org.debvisor.agentapi.RateLimitSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the controller writes with {@link AgentYamlWriter} is what the agent reads back. */
class AgentYamlRoundTripTest {

  @TempDir Path dir;

  @Test
  void writtenSettingsLoadBackEqual() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
    AgentSettings settings =
        new AgentSettings(
            new NodeSettings("node-7", "node07"),
            new GrpcSettings(List.of("127.0.0.1:5000", "[fd00::7]:5000"), null, 65536, null),
            null,
            new CollectorsSettings(
                new CephSettings(false, null, "reader", null, Duration.ofMinutes(1), null, null),
                null,
                null,
                null),
            new LoggingSettings("text", "debug"),
            new ConfigSettings(
                null,
                List.of(Path.of("/etc/debvisor/managed"), Path.of("/etc/chrony")),
                null,
                null,
                null,
                null,
                List.of("chrony.service"),
                null,
                null,
                null,
                Map.of("ntp", List.of("chronyc", "tracking"))),
            new AuthSettings(List.of(new AuthSettings.TokenSettings("ops", "a".repeat(64))), null),
            new RateLimitSettings(new RateLimitSettings.Bucket(5, 1), null, null, null),
            new ControllerSettings(
                "ctl.example:5443",
                ca,
                Path.of(AgentPaths.TOKEN_FILE),
                null,
                null,
                Duration.ofMillis(1500),
                null,
                "k8s"));
    Path file = Files.writeString(dir.resolve("agent.yaml"), new AgentYamlWriter().write(settings));

    assertThat(new SettingsLoader().load(file)).isEqualTo(settings);
  }

  @Test
  void filesNamedInTheSettingsAreLookedUpUnderTheRoot() throws Exception {
    AgentSettings enrols =
        new AgentSettings(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new ControllerSettings("ctl.example:5443", null, null, null, null, null, null, null));
    Path file = Files.writeString(dir.resolve("agent.yaml"), new AgentYamlWriter().write(enrols));
    Path root = Files.createDirectories(dir.resolve("target"));

    assertThatThrownBy(() -> new SettingsLoader(root).load(file))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("controller.caFile");

    Path ca = root.resolve(AgentPaths.CA_FILE.substring(1));
    Files.createDirectories(ca.getParent());
    Files.writeString(ca, "pem");
    assertThat(new SettingsLoader(root).load(file)).isEqualTo(enrols);
  }
}
