package org.debvisor.controller.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import java.util.List;
import java.util.Map;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.identity.Authenticator;
import org.debvisor.controller.identity.Role;
import org.debvisor.controller.identity.Sessions;
import org.debvisor.controller.identity.User;

/**
 * {@code /api/v1/session}: the panel's login (a Secure, HttpOnly, SameSite=Strict cookie plus a
 * CSRF token it sends back in {@code X-CSRF-Token}), who am I, and logout.
 */
final class SessionRoutes {

  /** The login body. */
  record LoginRequest(String user, String password) {}

  private final Authenticator authenticator;
  private final Sessions sessions;
  private final RolloutEventFeed rolloutEvents;

  SessionRoutes(Authenticator authenticator, Sessions sessions, RolloutEventFeed rolloutEvents) {
    this.authenticator = authenticator;
    this.sessions = sessions;
    this.rolloutEvents = rolloutEvents;
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
                HttpMethod.POST,
                "/api/v1/session",
                null,
                "Log in; body {\"user\", \"password\"}; sets the session cookie, returns the CSRF"
                    + " token",
                this::login)
            .asLogin(),
        new ApiRoute(
            HttpMethod.GET,
            "/api/v1/session",
            Role.VIEWER,
            "The caller, role and (for a session) its CSRF token",
            this::whoAmI),
        new ApiRoute(HttpMethod.DELETE, "/api/v1/session", Role.VIEWER, "Log out", this::logout));
  }

  private ApiAnswer login(ApiCall call) throws Exception {
    LoginRequest body = JsonBodies.read(call, LoginRequest.class);
    if (body.user() == null || body.user().isEmpty()) {
      throw ApiProblem.badRequest("user", "is required");
    }
    if (body.password() == null || body.password().isEmpty()) {
      throw ApiProblem.badRequest("password", "is required");
    }
    User user =
        authenticator.authenticate(
            body.user(), body.password().toCharArray(), call.source(), "session", true);
    Sessions.Opened opened = sessions.open(user, call.source());
    ObjectNode out =
        JsonBodies.object()
            .put("user", user.name())
            .put("role", user.role().label())
            .put("csrf_token", opened.csrfToken())
            .put("expires_at", opened.expiresAt().toString());
    String cookie =
        RouteGuard.SESSION_COOKIE
            + "="
            + opened.cookie()
            + "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age="
            + sessions.timeouts().absolute().toSeconds();
    return new ApiAnswer(200, out.toString(), Map.of("set-cookie", cookie));
  }

  private ApiAnswer whoAmI(ApiCall call) {
    Principal p = call.requirePrincipal();
    ObjectNode out = JsonBodies.object().put("user", p.user()).put("role", p.role().label());
    if (p.viaSession()) {
      out.put("csrf_token", p.csrfToken());
    }
    return ApiAnswer.ok(out.toString());
  }

  private ApiAnswer logout(ApiCall call) {
    Principal p = call.requirePrincipal();
    RouteGuard.cookie(call.request().headers(), RouteGuard.SESSION_COOKIE)
        .ifPresent(
            c -> {
              sessions.close(c, p.user(), p.source());
              // The session's event streams end with it, not at their next heartbeat.
              rolloutEvents.endSession(Sha256.hex(c));
            });
    String expired =
        RouteGuard.SESSION_COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0";
    return new ApiAnswer(204, null, Map.of("set-cookie", expired));
  }
}
