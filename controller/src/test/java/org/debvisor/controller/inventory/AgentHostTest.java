package org.debvisor.controller.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentHostTest {

  @Test
  void splitsAtTheLastColonAndUnbracketsIpv6() {
    assertThat(AgentHost.split("10.0.0.5:9443"))
        .contains(new AgentHost.HostPort("10.0.0.5", "9443", false));
    assertThat(AgentHost.split("[fe80::1]:9443"))
        .contains(new AgentHost.HostPort("fe80::1", "9443", true));
    assertThat(AgentHost.split("Node-1.example:"))
        .contains(new AgentHost.HostPort("Node-1.example", "", false));
  }

  @Test
  void noSplitWithoutAColonAfterTheFirstCharacter() {
    assertThat(AgentHost.split("node-1")).isEmpty();
    assertThat(AgentHost.split(":9443")).isEmpty();
    assertThat(AgentHost.split("")).isEmpty();
  }

  @Test
  void canonicalHostOfAnAddressIsTheSameForEverySpellingOfOneIp() {
    assertThat(AgentHost.ofAddress("[::1]:9443"))
        .isEqualTo(AgentHost.ofAddress("[0:0:0:0:0:0:0:1]:1"))
        .isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(AgentHost.ofAddress("Node-1.Example:9443")).isEqualTo("node-1.example");
    assertThat(AgentHost.ofAddress("")).isEmpty();
  }
}
