package org.debvisor.controller.server;

import java.util.List;
import java.util.Optional;
import org.debvisor.controller.inventory.AgentHost;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.NodeState;

/**
 * Which agent address a node may claim, at enrolment (it goes into the certificate's SAN) and in
 * heartbeats (it goes into the inventory and the next renewed certificate). A loopback address only
 * from the controller's own host (all such nodes share it), and never an address another enrolled
 * node holds: a certificate naming it would let this node pass for that one.
 */
final class AgentAddressRule {

  private AgentAddressRule() {}

  /** The nodes, not revoked, whose agent address has this canonical host. */
  @FunctionalInterface
  interface Holders {
    List<NodeRow> of(String canonicalHost);
  }

  /**
   * Why {@code claimedHost} is refused for node {@code nodeId} calling from {@code peer}, or empty
   * when it is acceptable. {@code holders} looks up who holds an address (the node's own row is
   * ignored); asked only for an address that is not loopback.
   */
  static Optional<String> problem(String claimedHost, String peer, String nodeId, Holders holders) {
    if (HostNames.isLoopback(claimedHost)) {
      if (!HostNames.isLoopback(peer)) {
        return Optional.of(
            "agent address "
                + claimedHost
                + " is a loopback address but the node connects from "
                + peer
                + "; only a node on the controller's own host may claim one (advertise an address"
                + " the controller can reach)");
      }
      return Optional.empty();
    }
    for (NodeRow other : holders.of(AgentHost.canonical(claimedHost))) {
      if (other.id().equals(nodeId) || other.state() == NodeState.REVOKED) {
        continue;
      }
      String otherHost =
          other.agentAddress().isEmpty() ? null : FieldRules.addressHost(other.agentAddress());
      if (otherHost != null && HostNames.same(otherHost, claimedHost)) {
        return Optional.of(
            "agent address "
                + claimedHost
                + " belongs to node "
                + other.id()
                + " ("
                + other.hostname()
                + "); a node may not claim another node's address (if that node is gone, revoke"
                + " it first with `debvisor node revoke`)");
      }
    }
    return Optional.empty();
  }
}
