package org.debvisor.controller.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.identity.Role;
import org.debvisor.proto.ListNodesResponse;
import org.debvisor.proto.NodeRecord;

/** {@code /api/v1/nodes}: the fleet list, one node, and revocation. */
final class NodeRoutes {

  /** The body of a revoke: why (kept in the audit log). */
  record RevokeRequest(String reason) {}

  // How much of a node's audit trail its detail shows.
  private static final int TRAIL = 50;

  private final FleetApi fleet;
  private final AuditRoutes audit;
  private final NodeListCache lists;

  NodeRoutes(FleetApi fleet, AuditRoutes audit, NodeListCache lists) {
    this.fleet = fleet;
    this.audit = audit;
    this.lists = lists;
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HttpMethod.GET,
            "/api/v1/nodes",
            Role.VIEWER,
            "Nodes matching ?selector=, sorted by ?sort=, ?limit= per page from ?cursor=; without a"
                + " selector also the machines still installing",
            this::list),
        new ApiRoute(
            HttpMethod.GET,
            "/api/v1/nodes/{name}",
            Role.VIEWER,
            "One node by id or hostname: facts, last status, certificate, audit_trail",
            this::show),
        new ApiRoute(
            HttpMethod.POST,
            "/api/v1/nodes/{name}/revoke",
            Role.OPERATOR,
            "Revoke a node's certificates; body {\"reason\": \"...\"}",
            this::revoke),
        new ApiRoute(
            HttpMethod.GET,
            "/api/v1/fleet",
            Role.VIEWER,
            "Node counts by health, enrolment, profile and cluster (the panel's overview)",
            this::summary));
  }

  private ApiAnswer summary(ApiCall call) {
    List<NodeRecord> all = fleet.listNodes("").getNodesList();
    ObjectNode out = JsonBodies.object().put("total", all.size());
    out.put("stale", all.stream().filter(NodeRecord::getStale).count());
    counts(out, "health", all, NodeRoutes::health);
    counts(out, "enrolment", all, n -> n.getEnrolment().name());
    counts(out, "profile", all, NodeRecord::getProfile);
    counts(out, "cluster", all, NodeRecord::getCluster);
    return ApiAnswer.ok(out.toString());
  }

  /** A node's overall health: its last status's state, UNKNOWN before its first report. */
  private static String health(NodeRecord n) {
    return n.hasLastStatus() ? n.getLastStatus().getState().name() : "HEALTH_UNKNOWN";
  }

  private static void counts(
      ObjectNode out, String field, List<NodeRecord> nodes, Function<NodeRecord, String> key) {
    Map<String, Long> counted =
        nodes.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    ObjectNode o = out.putObject(field);
    counted.forEach(o::put);
  }

  private ApiAnswer list(ApiCall call) {
    NodeListCache.Query query =
        new NodeListCache.Query(
            call.query("selector", ""),
            call.query("sort", "hostname"),
            call.query("limit", Integer.toString(NodePage.DEFAULT_LIMIT)),
            call.query("cursor", ""));
    NodeListCache.Body body = lists.get(query, this::listBody);
    Map<String, String> etag = Map.of("etag", body.etag());
    if (body.etag().equals(call.request().headers().get("if-none-match"))) {
      return new ApiAnswer(304, null, etag);
    }
    return ApiAnswer.utf8(200, body.json(), etag);
  }

  /** One list answer read from the inventory; shared through {@link NodeListCache}. */
  private NodeListCache.Body listBody(NodeListCache.Query query) {
    ListNodesResponse listed = fleet.listNodes(query.selector());
    NodePage.Page page =
        NodePage.of(
            listed.getNodesList(), query.selector(), query.sort(), query.limit(), query.cursor());
    ObjectNode out = JsonBodies.object();
    ArrayNode nodes = out.putArray("nodes");
    page.nodes().forEach(n -> nodes.addRawValue(JsonBodies.protoRaw(n)));
    out.put("total", page.total());
    // Machines still installing (empty unless the selector is): not paged, there are few.
    ArrayNode installing = out.putArray("installing");
    listed.getInstallingList().forEach(i -> installing.addRawValue(JsonBodies.protoRaw(i)));
    out.put("next_cursor", page.next());
    byte[] json = out.toString().getBytes(StandardCharsets.UTF_8);
    // A digest of the body itself: node-reported text never reaches a header.
    return new NodeListCache.Body(json, "\"" + Sha256.hex(json).substring(0, 32) + "\"");
  }

  private ApiAnswer show(ApiCall call) {
    NodeRecord node = fleet.node(call.pathParam("name"));
    ObjectNode out = JsonBodies.protoTree(node);
    out.set("audit_trail", audit.trail(node.getNodeId(), TRAIL));
    return ApiAnswer.ok(out.toString());
  }

  private ApiAnswer revoke(ApiCall call) throws Exception {
    RevokeRequest body = JsonBodies.read(call, RevokeRequest.class);
    String reason = body.reason() == null ? "" : body.reason();
    return ApiAnswer.ok(
        JsonBodies.proto(
            fleet
                .revoke(call.pathParam("name"), reason, call.requirePrincipal().actor())
                .getNode()));
  }
}
