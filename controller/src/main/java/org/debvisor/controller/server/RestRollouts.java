package org.debvisor.controller.server;

import org.debvisor.controller.rest.Actor;
import org.debvisor.controller.rest.RolloutApi;
import org.debvisor.proto.ChangeRolloutRequest;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.GetRolloutRequest;
import org.debvisor.proto.ListRolloutsResponse;
import org.debvisor.proto.Rollout;

/** The HTTPS API's rollouts: the same {@link RolloutRpc} the gRPC service calls. */
final class RestRollouts implements RolloutApi {

  private final RolloutRpc rollouts;

  RestRollouts(RolloutRpc rollouts) {
    this.rollouts = rollouts;
  }

  @Override
  public ListRolloutsResponse list() {
    return rollouts.list();
  }

  @Override
  public Rollout get(String id) {
    return rollouts.get(GetRolloutRequest.newBuilder().setId(id).build());
  }

  @Override
  public Rollout create(CreateRolloutRequest request, Actor actor) {
    return rollouts.create(request, RestFleet.caller(actor));
  }

  @Override
  public Rollout change(String id, ChangeRolloutRequest.Action action, Actor actor) {
    return rollouts.change(
        ChangeRolloutRequest.newBuilder().setId(id).setAction(action).build(),
        RestFleet.caller(actor));
  }
}
