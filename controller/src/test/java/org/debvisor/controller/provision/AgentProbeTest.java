package org.debvisor.controller.provision;

import static org.assertj.core.api.Assertions.assertThat;

import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;
import org.junit.jupiter.api.Test;

class AgentProbeTest {

  private static NodeStatus report(HealthState state) {
    NodeStatus.Builder b =
        NodeStatus.newBuilder()
            .setNode(NodeIdentity.newBuilder().setHostname("n1").setAgentVersion("0.1.0"));
    return state == null ? b.build() : b.setState(state).build();
  }

  @Test
  void okAndWarnAreHealthyErrorAndUnknownAreNot() {
    assertThat(AgentProbe.judge(report(HealthState.HEALTH_OK)))
        .isEqualTo(new AgentProbe.Verdict(true, "agent on n1 reports HEALTH_OK, agent 0.1.0"));
    assertThat(AgentProbe.judge(report(HealthState.HEALTH_WARN)).healthy()).isTrue();
    assertThat(AgentProbe.judge(report(HealthState.HEALTH_ERROR)).healthy()).isFalse();
    // proto3 leaves the zero value (unspecified) out.
    assertThat(AgentProbe.judge(report(null)).healthy()).isFalse();
    assertThat(AgentProbe.judge(report(null)).description()).contains("HEALTH_UNKNOWN");
  }
}
