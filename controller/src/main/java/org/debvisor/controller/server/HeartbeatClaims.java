package org.debvisor.controller.server;

import java.util.ArrayList;
import java.util.List;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;

/**
 * What a heartbeat may store, with its client certificate as the source of identity: the status's
 * node id and hostname must be the certificate's (else they are replaced by the certificate's), and
 * the agent address must be one the certificate names or the address the heartbeat comes from,
 * never another node's (else it is not stored). {@code mismatches} says what was ignored.
 */
record HeartbeatClaims(NodeStatus status, String agentAddress, List<String> mismatches) {

  HeartbeatClaims {
    mismatches = List.copyOf(mismatches);
  }

  /** Checks {@code request} from {@code caller}; {@code holders} is asked only when needed. */
  static HeartbeatClaims check(
      HeartbeatRequest request, Caller caller, AgentAddressRule.Holders holders) {
    List<String> mismatches = new ArrayList<>();
    NodeStatus status = request.getStatus();
    if (status.hasNode()) {
      NodeIdentity claimed = status.getNode();
      NodeIdentity.Builder identity = claimed.toBuilder();
      if (!claimed.getNodeId().isEmpty() && !claimed.getNodeId().equals(caller.name())) {
        mismatches.add(
            "status.node.node_id '"
                + FieldRules.printable(claimed.getNodeId())
                + "' is not the certificate's node id "
                + caller.name());
        identity.setNodeId(caller.name());
      }
      List<String> names =
          caller.certificateNames().stream().filter(n -> HostNames.ipLiteral(n).isEmpty()).toList();
      if (!claimed.getHostname().isEmpty()
          && names.stream().noneMatch(n -> n.equalsIgnoreCase(claimed.getHostname()))) {
        mismatches.add(
            "status.node.hostname '"
                + FieldRules.printable(claimed.getHostname())
                + "' is not named in the certificate "
                + names);
        identity.setHostname(names.isEmpty() ? "" : names.get(0));
      }
      status = status.toBuilder().setNode(identity).build();
    }
    String address = request.getAgentAddress();
    if (!address.isEmpty()) {
      String host = FieldRules.addressHost(address);
      boolean named = caller.certificateNames().stream().anyMatch(n -> HostNames.same(n, host));
      if (!named) {
        String problem =
            HostNames.same(host, caller.source())
                ? AgentAddressRule.problem(host, caller.source(), caller.name(), holders)
                    .orElse(null)
                : "agent_address "
                    + address
                    + " is neither named in the certificate "
                    + caller.certificateNames()
                    + " nor the address the heartbeat comes from ("
                    + caller.source()
                    + ")";
        if (problem != null) {
          mismatches.add(problem);
          address = "";
        }
      }
    }
    return new HeartbeatClaims(status, address, mismatches);
  }
}
