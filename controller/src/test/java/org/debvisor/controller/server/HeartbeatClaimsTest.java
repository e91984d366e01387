package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.debvisor.controller.inventory.AgentHost;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.NodeState;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;
import org.junit.jupiter.api.Test;

/** What a heartbeat may store, with the client certificate as the source of identity. */
class HeartbeatClaimsTest {

  private static final Caller NODE =
      new Caller(
          Caller.Kind.NODE,
          "node-a",
          "10.1.0.20",
          Instant.EPOCH,
          List.of("10.1.0.20", "host-a.example", "alt.example"));

  private static NodeRow other(String id, String address) {
    return new NodeRow(
        id,
        "host-" + id,
        "ceph",
        "default",
        "amd64",
        address,
        "0.1.0",
        NodeState.ACTIVE,
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

  /** The fleet, counting reads: it is read only for an address that needs it. */
  private final AtomicInteger fleetReads = new AtomicInteger();

  private AgentAddressRule.Holders fleet(NodeRow... rows) {
    return host -> {
      fleetReads.incrementAndGet();
      return Stream.of(rows)
          .filter(n -> AgentHost.ofAddress(n.agentAddress()).equals(host))
          .toList();
    };
  }

  private static HeartbeatRequest request(String nodeId, String hostname, String address) {
    return HeartbeatRequest.newBuilder()
        .setStatus(
            NodeStatus.newBuilder()
                .setSummary("system: ok")
                .setRevision(7)
                .setNode(
                    NodeIdentity.newBuilder()
                        .setNodeId(nodeId)
                        .setHostname(hostname)
                        .setArch("amd64")))
        .setAgentAddress(address)
        .build();
  }

  @Test
  void claimsThatMatchTheCertificateAreStoredAsSent() {
    HeartbeatRequest sent = request("node-a", "HOST-A.example", "10.1.0.20:5000");
    HeartbeatClaims claims = HeartbeatClaims.check(sent, NODE, fleet());
    assertThat(claims.status()).isEqualTo(sent.getStatus());
    assertThat(claims.agentAddress()).isEqualTo("10.1.0.20:5000");
    assertThat(claims.mismatches()).isEmpty();
    assertThat(fleetReads).as("a named address needs no fleet").hasValue(0);
  }

  @Test
  void emptyClaimsAreLeftEmpty() {
    HeartbeatRequest sent = request("", "", "");
    HeartbeatClaims claims = HeartbeatClaims.check(sent, NODE, fleet());
    assertThat(claims.status()).isEqualTo(sent.getStatus());
    assertThat(claims.agentAddress()).isEmpty();
    assertThat(claims.mismatches()).isEmpty();

    HeartbeatRequest noNode = HeartbeatRequest.newBuilder().build();
    HeartbeatClaims none = HeartbeatClaims.check(noNode, NODE, fleet());
    assertThat(none.status().hasNode()).isFalse();
    assertThat(none.mismatches()).isEmpty();
  }

  @Test
  void anotherNodeIdIsReplacedByTheCertificatesAndReported() {
    HeartbeatClaims claims =
        HeartbeatClaims.check(request("node-b\n", "host-a.example", ""), NODE, fleet());
    assertThat(claims.status().getNode().getNodeId()).isEqualTo("node-a");
    assertThat(claims.status().getNode().getHostname()).isEqualTo("host-a.example");
    assertThat(claims.status().getNode().getArch()).isEqualTo("amd64");
    assertThat(claims.status().getRevision()).isEqualTo(7);
    assertThat(claims.mismatches())
        .containsExactly("status.node.node_id 'node-b?' is not the certificate's node id node-a");
  }

  @Test
  void aHostnameTheCertificateDoesNotNameIsReplacedByItsFirstDnsName() {
    HeartbeatClaims claims =
        HeartbeatClaims.check(request("node-a", "host-b.example", ""), NODE, fleet());
    assertThat(claims.status().getNode().getHostname()).isEqualTo("host-a.example");
    assertThat(claims.status().getNode().getNodeId()).isEqualTo("node-a");
    assertThat(claims.mismatches())
        .containsExactly(
            "status.node.hostname 'host-b.example' is not named in the certificate"
                + " [host-a.example, alt.example]");
  }

  @Test
  void anIpAddressIsNoHostnameAndACertificateWithoutNamesLeavesItEmpty() {
    Caller ipOnly =
        new Caller(Caller.Kind.NODE, "node-a", "10.1.0.20", Instant.EPOCH, List.of("10.1.0.20"));
    HeartbeatClaims claims =
        HeartbeatClaims.check(request("node-a", "10.1.0.20", ""), ipOnly, fleet());
    assertThat(claims.status().getNode().getHostname()).isEmpty();
    assertThat(claims.mismatches())
        .containsExactly("status.node.hostname '10.1.0.20' is not named in the certificate []");
  }

  @Test
  void theSourceAddressIsAcceptedWhenNoOtherNodeHoldsIt() {
    Caller dns =
        new Caller(
            Caller.Kind.NODE, "node-a", "10.1.0.21", Instant.EPOCH, List.of("host-a.example"));
    HeartbeatClaims claims =
        HeartbeatClaims.check(
            request("node-a", "host-a.example", "10.1.0.21:5000"),
            dns,
            fleet(other("node-a", "10.1.0.21:5000"), other("node-c", "10.1.0.30:5000")));
    assertThat(claims.agentAddress()).isEqualTo("10.1.0.21:5000");
    assertThat(claims.mismatches()).isEmpty();
    assertThat(fleetReads).hasValue(1);
  }

  @Test
  void theSourceAddressIsDroppedWhenAnotherNodeHoldsIt() {
    Caller dns =
        new Caller(
            Caller.Kind.NODE, "node-a", "10.1.0.21", Instant.EPOCH, List.of("host-a.example"));
    HeartbeatClaims claims =
        HeartbeatClaims.check(
            request("node-a", "host-a.example", "10.1.0.21:5000"),
            dns,
            fleet(other("node-c", "10.1.0.21:6000")));
    assertThat(claims.agentAddress()).isEmpty();
    assertThat(claims.mismatches()).hasSize(1);
    assertThat(claims.mismatches().getFirst())
        .startsWith("agent address 10.1.0.21 belongs to node node-c (host-node-c)");
  }

  @Test
  void anAddressNeitherNamedNorTheSourceIsDropped() {
    HeartbeatClaims claims =
        HeartbeatClaims.check(request("node-a", "host-a.example", "10.1.0.99:5000"), NODE, fleet());
    assertThat(claims.agentAddress()).isEmpty();
    assertThat(claims.status().getNode().getNodeId()).isEqualTo("node-a");
    assertThat(claims.mismatches())
        .containsExactly(
            "agent_address 10.1.0.99:5000 is neither named in the certificate [10.1.0.20,"
                + " host-a.example, alt.example] nor the address the heartbeat comes from"
                + " (10.1.0.20)");
    assertThat(fleetReads).hasValue(0);
  }

  @Test
  void theMismatchListCannotBeChangedAfterwards() {
    HeartbeatClaims claims =
        HeartbeatClaims.check(request("node-b", "host-a.example", ""), NODE, fleet());
    assertThat(claims.mismatches()).isUnmodifiable();
  }
}
