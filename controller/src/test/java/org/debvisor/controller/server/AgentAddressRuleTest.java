package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.debvisor.controller.inventory.AgentHost;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.NodeState;
import org.junit.jupiter.api.Test;

/** Which agent addresses a node may claim, whatever way they are spelt. */
class AgentAddressRuleTest {

  private static NodeRow node(String id, String address, NodeState state) {
    return new NodeRow(
        id,
        "host-" + id,
        "ceph",
        "default",
        "amd64",
        address,
        "0.1.0",
        state,
        Instant.EPOCH,
        null,
        "01",
        Instant.EPOCH,
        null,
        null,
        "",
        null,
        "");
  }

  private static final List<NodeRow> NODES =
      List.of(
          node("a", "10.1.0.5:5000", NodeState.ACTIVE),
          node("b", "[2001:db8::7]:5000", NodeState.ACTIVE),
          node("c", "10.1.0.9:5000", NodeState.REVOKED),
          node("d", "", NodeState.ACTIVE),
          node("e", "ceph-e.example:5000", NodeState.ACTIVE));

  /** Looks holders up as NodeRepository.findActiveByAgentHost does: canonical host, not revoked. */
  private static final AgentAddressRule.Holders FLEET =
      host ->
          NODES.stream()
              .filter(n -> n.state() != NodeState.REVOKED)
              .filter(n -> AgentHost.ofAddress(n.agentAddress()).equals(host))
              .toList();

  @Test
  void aFreshAddressIsAccepted() {
    assertThat(AgentAddressRule.problem("10.1.0.6", "10.1.0.6", "new", FLEET)).isEmpty();
    assertThat(AgentAddressRule.problem("node-new.example", "10.1.0.6", "new", FLEET)).isEmpty();
  }

  @Test
  void anotherNodesAddressIsRefusedInAnySpelling() {
    assertThat(AgentAddressRule.problem("10.1.0.5", "10.1.0.6", "new", FLEET))
        .hasValueSatisfying(p -> assertThat(p).contains("belongs to node a").contains("revoke"));
    assertThat(AgentAddressRule.problem("2001:0db8:0:0:0:0:0:7", "10.1.0.6", "new", FLEET))
        .hasValueSatisfying(p -> assertThat(p).contains("node b"));
    assertThat(AgentAddressRule.problem("CEPH-E.example", "10.1.0.6", "new", FLEET))
        .hasValueSatisfying(p -> assertThat(p).contains("node e"));
  }

  @Test
  void theNodesOwnAndARevokedNodesAddressAreAccepted() {
    assertThat(AgentAddressRule.problem("10.1.0.5", "10.1.0.5", "a", FLEET)).isEmpty();
    assertThat(AgentAddressRule.problem("10.1.0.9", "10.1.0.9", "new", FLEET)).isEmpty();
  }

  @Test
  void loopbackOnlyFromTheControllersOwnHost() {
    assertThat(AgentAddressRule.problem("127.0.0.1", "10.1.0.6", "new", FLEET))
        .hasValueSatisfying(p -> assertThat(p).contains("loopback").contains("10.1.0.6"));
    assertThat(AgentAddressRule.problem("::1", "10.1.0.6", "new", FLEET)).isPresent();
    assertThat(AgentAddressRule.problem("127.0.0.1", "127.0.0.1", "new", FLEET)).isEmpty();
    assertThat(AgentAddressRule.problem("127.0.0.1", "0:0:0:0:0:0:0:1", "new", FLEET)).isEmpty();
  }

  @Test
  void hostNamesCompareIpLiteralsByValueAndNamesWithoutCase() {
    assertThat(HostNames.same("::1", "0:0:0:0:0:0:0:1")).isTrue();
    assertThat(HostNames.same("[::1]", "::1")).isTrue();
    assertThat(HostNames.same("10.0.0.1", "10.0.0.2")).isFalse();
    assertThat(HostNames.same("Node.Example", "node.example")).isTrue();
    assertThat(HostNames.same("10.0.0.1", "node.example")).isFalse();
    assertThat(HostNames.isLoopback("127.5.5.5")).isTrue();
    assertThat(HostNames.isLoopback("localhost")).isTrue();
    assertThat(HostNames.isLoopback("10.0.0.1")).isFalse();
  }
}
