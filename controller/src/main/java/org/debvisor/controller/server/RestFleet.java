package org.debvisor.controller.server;

import org.debvisor.controller.rest.Actor;
import org.debvisor.controller.rest.FleetApi;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.ListNodesResponse;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.RevokeNodeRequest;
import org.debvisor.proto.RevokeNodeResponse;

/** The HTTPS API's view of the fleet: the same {@link Fleet} code the gRPC service calls. */
final class RestFleet implements FleetApi {

  private final Fleet fleet;

  RestFleet(Fleet fleet) {
    this.fleet = fleet;
  }

  @Override
  public ListNodesResponse listNodes(String selector) {
    return fleet.list(ListNodesRequest.newBuilder().setSelector(selector).build());
  }

  @Override
  public NodeRecord node(String name) {
    return fleet.show(name);
  }

  @Override
  public RevokeNodeResponse revoke(String node, String reason, Actor actor) {
    return fleet.revoke(
        RevokeNodeRequest.newBuilder().setNode(node).setReason(reason).build(), caller(actor));
  }

  static Caller caller(Actor actor) {
    return new Caller(Caller.Kind.OPERATOR, actor.name(), actor.source(), null);
  }
}
