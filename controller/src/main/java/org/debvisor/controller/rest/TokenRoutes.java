package org.debvisor.controller.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.identity.Role;
import org.debvisor.controller.inventory.TokenRow;
import org.debvisor.proto.CreateBootstrapTokenRequest;

/**
 * {@code /api/v1/tokens}: bootstrap tokens, for admins only (a token lets a machine join the
 * fleet). The secret is shown once in the create answer; listings never carry it or its hash.
 */
final class TokenRoutes {

  private final FleetApi fleet;
  private final Clock clock;

  TokenRoutes(FleetApi fleet, Clock clock) {
    this.fleet = fleet;
    this.clock = clock;
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HttpMethod.GET,
            "/api/v1/tokens",
            Role.ADMIN,
            "Bootstrap tokens newest first, with state active, used or expired (no secrets)",
            this::list),
        new ApiRoute(
            HttpMethod.POST,
            "/api/v1/tokens",
            Role.ADMIN,
            "Create a bootstrap token; body {\"ttl\": \"3600s\", \"hostname\", \"profile\","
                + " \"cluster\", \"nodeId\"}; the token is shown once",
            this::create),
        new ApiRoute(
            HttpMethod.DELETE,
            "/api/v1/tokens/{id}",
            Role.ADMIN,
            "Revoke an unused bootstrap token now",
            this::revoke));
  }

  private ApiAnswer list(ApiCall call) {
    Instant now = clock.instant();
    ObjectNode out = JsonBodies.object();
    ArrayNode tokens = out.putArray("tokens");
    fleet.tokens().forEach(t -> tokens.add(json(t, now)));
    return ApiAnswer.ok(out.toString());
  }

  private ApiAnswer create(ApiCall call) throws Exception {
    CreateBootstrapTokenRequest request =
        JsonBodies.readProto(call, CreateBootstrapTokenRequest.newBuilder());
    String body = JsonBodies.proto(fleet.createToken(request, call.requirePrincipal().actor()));
    return new ApiAnswer(201, body, Map.of());
  }

  private ApiAnswer revoke(ApiCall call) {
    TokenRow after = fleet.revokeToken(call.pathParam("id"), call.requirePrincipal().actor());
    return ApiAnswer.ok(json(after, clock.instant()).toString());
  }

  private static ObjectNode json(TokenRow t, Instant now) {
    String state = t.usedAt() != null ? "used" : t.expiresAt().isAfter(now) ? "active" : "expired";
    return JsonBodies.object()
        .put("id", t.id())
        .put("state", state)
        .put("created_at", t.createdAt().toString())
        .put("expires_at", t.expiresAt().toString())
        .put("created_by", t.createdBy())
        .put("hostname", t.hostname())
        .put("profile", t.profile())
        .put("cluster", t.cluster())
        .put("node_id", t.nodeId())
        .put("used_at", t.usedAt() == null ? null : t.usedAt().toString())
        .put("used_by_node", t.usedByNode());
  }
}
