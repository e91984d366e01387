package org.debvisor.controller.server;

import java.util.List;
import org.debvisor.controller.inventory.TokenRow;
import org.debvisor.controller.rest.Actor;
import org.debvisor.controller.rest.FleetApi;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.CreateBootstrapTokenResponse;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.ListNodesResponse;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.RevokeNodeRequest;
import org.debvisor.proto.RevokeNodeResponse;

/** The HTTPS API's view of the fleet: the same {@link Fleet} code the gRPC service calls. */
final class RestFleet implements FleetApi {

  private final Fleet fleet;
  private final TokenAdmin tokens;

  RestFleet(Fleet fleet, TokenAdmin tokens) {
    this.fleet = fleet;
    this.tokens = tokens;
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

  @Override
  public CreateBootstrapTokenResponse createToken(
      CreateBootstrapTokenRequest request, Actor actor) {
    return fleet.createToken(request, caller(actor));
  }

  @Override
  public List<TokenRow> tokens() {
    return tokens.list();
  }

  @Override
  public TokenRow revokeToken(String id, Actor actor) {
    return tokens.revoke(id, actor);
  }

  static Caller caller(Actor actor) {
    return new Caller(Caller.Kind.OPERATOR, actor.name(), actor.source(), null);
  }
}
