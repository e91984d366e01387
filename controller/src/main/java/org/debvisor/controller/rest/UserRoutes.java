package org.debvisor.controller.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.identity.Role;
import org.debvisor.controller.identity.User;
import org.debvisor.controller.identity.Users;

/**
 * {@code /api/v1/users}: operator accounts, for admins only, through the same {@link Users} service
 * as `debvisor user add|passwd|del|list` (same rules, same audit entries). Password hashes never
 * leave the server.
 */
final class UserRoutes {

  /** The body of an add. */
  record AddRequest(String name, String role, String password) {}

  /** The body of a role change. */
  record RoleRequest(String role) {}

  /** The body of a password change. */
  record PasswordRequest(String password) {}

  private final Users users;

  UserRoutes(Users users) {
    this.users = users;
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HttpMethod.GET,
            "/api/v1/users",
            Role.ADMIN,
            "Operator accounts by name, with role and when the password was set",
            this::list),
        new ApiRoute(
            HttpMethod.POST,
            "/api/v1/users",
            Role.ADMIN,
            "Add a user; body {\"name\", \"role\": admin|operator|viewer, \"password\"}",
            this::add),
        new ApiRoute(
            HttpMethod.PUT,
            "/api/v1/users/{name}/role",
            Role.ADMIN,
            "Change a user's role; body {\"role\"}; the last admin keeps the role",
            this::changeRole),
        new ApiRoute(
            HttpMethod.PUT,
            "/api/v1/users/{name}/password",
            Role.ADMIN,
            "Set a user's password; body {\"password\"}; ends the user's sessions",
            this::changePassword),
        new ApiRoute(
            HttpMethod.DELETE,
            "/api/v1/users/{name}",
            Role.ADMIN,
            "Remove a user and their sessions; the last admin stays",
            this::delete));
  }

  private ApiAnswer list(ApiCall call) {
    ObjectNode out = JsonBodies.object();
    ArrayNode list = out.putArray("users");
    users.list().forEach(u -> list.add(json(u)));
    return ApiAnswer.ok(out.toString());
  }

  private ApiAnswer add(ApiCall call) throws Exception {
    AddRequest body = JsonBodies.read(call, AddRequest.class);
    Role role = role(body.role());
    char[] password = password(body.password());
    Principal admin = call.requirePrincipal();
    try {
      User added = users.add(body.name(), role, password, admin.actor().name(), admin.source());
      return new ApiAnswer(201, json(added).toString(), Map.of());
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private ApiAnswer changeRole(ApiCall call) throws Exception {
    Role role = role(JsonBodies.read(call, RoleRequest.class).role());
    Principal admin = call.requirePrincipal();
    User changed =
        users.changeRole(call.pathParam("name"), role, admin.actor().name(), admin.source());
    return ApiAnswer.ok(json(changed).toString());
  }

  private ApiAnswer changePassword(ApiCall call) throws Exception {
    char[] password = password(JsonBodies.read(call, PasswordRequest.class).password());
    Principal admin = call.requirePrincipal();
    try {
      int ended =
          users.changePassword(
              call.pathParam("name"), password, admin.actor().name(), admin.source());
      return ApiAnswer.ok(
          JsonBodies.object()
              .put("name", call.pathParam("name"))
              .put("sessions_ended", ended)
              .toString());
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private ApiAnswer delete(ApiCall call) {
    Principal admin = call.requirePrincipal();
    users.delete(call.pathParam("name"), admin.actor().name(), admin.source());
    return new ApiAnswer(204, null, Map.of());
  }

  private static Role role(String text) {
    if (text == null || text.isEmpty()) {
      throw ApiProblem.badRequest("role", "is required: admin, operator or viewer");
    }
    return Role.parse(text)
        .orElseThrow(
            () ->
                ApiProblem.badRequest(
                    "role", "must be admin, operator or viewer, not " + quoted(text)));
  }

  private static char[] password(String text) {
    if (text == null || text.isEmpty()) {
      throw ApiProblem.badRequest("password", "is required");
    }
    return text.toCharArray();
  }

  /** A user-sent value in a message, cut short and without control characters. */
  private static String quoted(String text) {
    String cut = text.length() > 32 ? text.substring(0, 32) + "..." : text;
    return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
  }

  private static ObjectNode json(User u) {
    return JsonBodies.object()
        .put("name", u.name())
        .put("role", u.role().label())
        .put("created_at", u.createdAt().toString())
        .put("password_changed_at", u.passwordChangedAt().toString());
  }
}
