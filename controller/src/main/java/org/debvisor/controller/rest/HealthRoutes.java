package org.debvisor.controller.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import java.util.List;

/**
 * {@code /api/health}: "ok" to anyone (liveness for load balancers and curl), plus who is asking
 * and the fleet's size when the request is authenticated.
 */
final class HealthRoutes {

  private final FleetApi fleet;

  HealthRoutes(FleetApi fleet) {
    this.fleet = fleet;
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HttpMethod.GET,
            "/api/health",
            null,
            "Liveness; with credentials also the caller and node count",
            this::health));
  }

  private ApiAnswer health(ApiCall call) {
    ObjectNode out = JsonBodies.object().put("status", "ok");
    call.caller()
        .ifPresent(
            p -> {
              out.put("user", p.user()).put("role", p.role().label());
              out.put("nodes", fleet.listNodes("").getNodesCount());
            });
    return ApiAnswer.ok(out.toString());
  }
}
