package org.debvisor.controller.rest;

import com.linecorp.armeria.common.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.debvisor.controller.identity.Role;
import org.debvisor.proto.ChangeRolloutRequest;
import org.debvisor.proto.CreateRolloutRequest;

/**
 * {@code /api/v1/rollouts}: list, detail, create (the body is CreateRolloutRequest in protobuf's
 * JSON mapping, as `debvisor rollout create` sends it over gRPC) and the state changes.
 */
final class RolloutRoutes {

  private static final List<ChangeRolloutRequest.Action> ACTIONS =
      List.of(
          ChangeRolloutRequest.Action.PAUSE,
          ChangeRolloutRequest.Action.RESUME,
          ChangeRolloutRequest.Action.APPROVE,
          ChangeRolloutRequest.Action.ABORT,
          ChangeRolloutRequest.Action.ROLLBACK);

  private final RolloutApi rollouts;

  RolloutRoutes(RolloutApi rollouts) {
    this.rollouts = rollouts;
  }

  List<ApiRoute> routes() {
    List<ApiRoute> out = new ArrayList<>();
    out.add(
        new ApiRoute(
            HttpMethod.GET,
            "/api/v1/rollouts",
            Role.VIEWER,
            "Rollouts, newest first",
            call -> ApiAnswer.ok(JsonBodies.proto(rollouts.list()))));
    out.add(
        new ApiRoute(
            HttpMethod.GET,
            "/api/v1/rollouts/{id}",
            Role.VIEWER,
            "One rollout with where each of its nodes is",
            call -> ApiAnswer.ok(JsonBodies.proto(rollouts.get(call.pathParam("id"))))));
    out.add(
        new ApiRoute(
            HttpMethod.POST,
            "/api/v1/rollouts",
            Role.OPERATOR,
            "Start a rollout; body: CreateRolloutRequest as protobuf JSON",
            call -> {
              CreateRolloutRequest request =
                  JsonBodies.readProto(call, CreateRolloutRequest.newBuilder());
              return ApiAnswer.ok(
                  JsonBodies.proto(rollouts.create(request, call.requirePrincipal().actor())));
            }));
    for (ChangeRolloutRequest.Action action : ACTIONS) {
      String verb = action.name().toLowerCase(Locale.ROOT);
      out.add(
          new ApiRoute(
              HttpMethod.POST,
              "/api/v1/rollouts/{id}/" + verb,
              Role.OPERATOR,
              "Rollout: " + verb,
              call ->
                  ApiAnswer.ok(
                      JsonBodies.proto(
                          rollouts.change(
                              call.pathParam("id"), action, call.requirePrincipal().actor())))));
    }
    return out;
  }
}
