package org.debvisor.controller.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  private static JsonNode yaml(String text) throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(text);
  }

  @Test
  void standaloneAgentGetsNoControllerSection() throws Exception {
    JsonNode y = yaml(AgentConfig.render("ceph", null, false, "10.0.0.5"));
    assertThat(y.has("controller")).isFalse();
    assertThat(y.has("grpc")).isFalse();
    assertThat(y.path("logging").path("format").asText()).isEqualTo("json");
  }

  @Test
  void enrollingAgentNamesControllerCaTokenFileProfileAndServesOnItsAddress() throws Exception {
    String text = AgentConfig.render("k8s", "ctl.example:5443", true, "fd00::5");
    JsonNode y = yaml(text);
    JsonNode c = y.path("controller");
    assertThat(c.path("address").asText()).isEqualTo("ctl.example:5443");
    assertThat(c.path("caFile").asText()).isEqualTo(AgentConfig.CA_FILE);
    assertThat(c.path("tokenFile").asText()).isEqualTo(AgentConfig.TOKEN_FILE);
    assertThat(c.path("profile").asText()).isEqualTo("k8s");
    assertThat(y.path("grpc").path("listen").get(0).asText()).isEqualTo("127.0.0.1:5000");
    assertThat(y.path("grpc").path("listen").get(1).asText()).isEqualTo("[fd00::5]:5000");
  }

  @Test
  void quotesValuesSoTheyCannotBecomeYaml() throws Exception {
    String hostile = "ctl:5443\"\nauth:\n  tokens: [x]";
    JsonNode y = yaml(AgentConfig.render("ceph", hostile, false, ""));
    assertThat(y.path("controller").path("address").asText()).isEqualTo(hostile);
    assertThat(y.has("auth")).isFalse();
  }
}
