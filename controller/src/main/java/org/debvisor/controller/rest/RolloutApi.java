package org.debvisor.controller.rest;

import org.debvisor.proto.ChangeRolloutRequest;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.ListRolloutsResponse;
import org.debvisor.proto.Rollout;

/**
 * The rollout operations the API exposes, served by the rollout package through the same code as
 * the gRPC API (the server package implements this). Failures are gRPC statuses.
 */
public interface RolloutApi {

  ListRolloutsResponse list();

  Rollout get(String id);

  Rollout create(CreateRolloutRequest request, Actor actor);

  Rollout change(String id, ChangeRolloutRequest.Action action, Actor actor);
}
