package org.debvisor.controller.provision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalAgentProbeTest {

  @Test
  void okAndWarnAreHealthyErrorAndUnknownAreNot() {
    String node = "\"node\": {\"hostname\": \"n1\", \"agentVersion\": \"0.1.0\"}";
    assertThat(LocalAgentProbe.judge("{" + node + ", \"state\": \"HEALTH_OK\"}"))
        .isEqualTo(new LocalAgentProbe.Verdict(true, "agent on n1 reports HEALTH_OK, agent 0.1.0"));
    assertThat(LocalAgentProbe.judge("{" + node + ", \"state\": \"HEALTH_WARN\"}").healthy())
        .isTrue();
    assertThat(LocalAgentProbe.judge("{" + node + ", \"state\": \"HEALTH_ERROR\"}").healthy())
        .isFalse();
    // proto3 JSON leaves the zero value (unspecified) out.
    assertThat(LocalAgentProbe.judge("{" + node + "}").healthy()).isFalse();
    assertThat(LocalAgentProbe.judge("not json").description()).contains("unreadable");
  }
}
