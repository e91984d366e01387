package org.debvisor.controller.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3 document of the API, generated from the same {@link ApiRoute} list the server
 * binds, so it cannot drift from the code; a test compares it with what Armeria actually serves.
 */
final class OpenApiDocument {

  static final String PATH = "/api/v1/openapi.json";

  private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

  private OpenApiDocument() {}

  /** The route serving the document of {@code others} and of itself. */
  static ApiRoute route(List<ApiRoute> others) {
    String summary = "This OpenAPI 3 document";
    ApiRoute self =
        new ApiRoute(com.linecorp.armeria.common.HttpMethod.GET, PATH, null, summary, call -> null);
    List<ApiRoute> all = new java.util.ArrayList<>(others);
    all.add(self);
    String document = of(all);
    return new ApiRoute(self.method(), PATH, null, summary, call -> ApiAnswer.ok(document));
  }

  static String of(List<ApiRoute> routes) {
    ObjectNode doc = JsonBodies.object().put("openapi", "3.0.3");
    doc.putObject("info")
        .put("title", "DebVisor controller API")
        .put("version", "1")
        .put("description", "See docs/rest-api.md. Errors are RFC 9457 problem details.");
    ObjectNode components = doc.putObject("components");
    ObjectNode schemes = components.putObject("securitySchemes");
    schemes.putObject("basic").put("type", "http").put("scheme", "basic");
    schemes
        .putObject("bootstrapToken")
        .put("type", "http")
        .put("scheme", "bearer")
        .put("description", "the installing machine's bootstrap token (debvisor token create)");
    schemes
        .putObject("session")
        .put("type", "apiKey")
        .put("in", "cookie")
        .put("name", RouteGuard.SESSION_COOKIE);
    ObjectNode problem = components.putObject("schemas").putObject("Problem");
    problem.put("type", "object");
    ObjectNode props = problem.putObject("properties");
    props.putObject("type").put("type", "string");
    props.putObject("title").put("type", "string");
    props.putObject("status").put("type", "integer");
    props.putObject("detail").put("type", "string");
    ObjectNode violation = props.putObject("violations").put("type", "array").putObject("items");
    violation.put("type", "object");
    violation.putObject("properties").putObject("field").put("type", "string");
    ((ObjectNode) violation.get("properties")).putObject("rule").put("type", "string");

    ObjectNode paths = doc.putObject("paths");
    for (ApiRoute route : routes) {
      ObjectNode path =
          paths.has(route.path())
              ? (ObjectNode) paths.get(route.path())
              : paths.putObject(route.path());
      ObjectNode op = path.putObject(route.method().name().toLowerCase(Locale.ROOT));
      op.put("summary", route.summary());
      op.put(
          "x-debvisor-role",
          route.bootstrapToken() ? "installer" : route.isPublic() ? "none" : route.role().label());
      ArrayNode security = op.putArray("security");
      if (route.bootstrapToken()) {
        security.addObject().putArray("bootstrapToken");
      } else if (route.isPublic()) {
        security.addObject();
      } else {
        security.addObject().putArray("basic");
        security.addObject().putArray("session");
      }
      Matcher m = PARAM.matcher(route.path());
      if (m.find()) {
        ArrayNode params = op.putArray("parameters");
        do {
          ObjectNode p = params.addObject();
          p.put("name", m.group(1)).put("in", "path").put("required", true);
          p.putObject("schema").put("type", "string");
        } while (m.find());
      }
      ObjectNode responses = op.putObject("responses");
      responses
          .putObject("200")
          .put(
              "description",
              route.produces().equals(ApiRoute.JSON)
                  ? "OK (JSON)"
                  : "OK (" + route.produces() + ")")
          .putObject("content")
          .putObject(route.produces());
      responses
          .putObject("default")
          .put("description", "Problem details")
          .putObject("content")
          .putObject("application/problem+json")
          .putObject("schema")
          .put("$ref", "#/components/schemas/Problem");
    }
    return doc.toString();
  }
}
