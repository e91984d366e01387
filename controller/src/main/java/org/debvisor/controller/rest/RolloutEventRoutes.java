package org.debvisor.controller.rest;

import com.linecorp.armeria.common.HttpMethod;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.identity.Role;
import org.debvisor.controller.identity.Sessions;
import org.debvisor.controller.identity.Users;

/**
 * {@code GET /api/v1/rollouts/events}: every rollout's progress as Server-Sent Events, for the
 * panel's rollouts page. A stream opened with a session ends when that session does (logout at
 * once, a timeout or password change at the next heartbeat); one opened with basic auth ends when
 * the user's password changes or the user is removed.
 */
final class RolloutEventRoutes {

  static final String PATH = "/api/v1/rollouts/events";

  private final RolloutEventFeed feed;
  private final Sessions sessions;
  private final Users users;

  RolloutEventRoutes(RolloutEventFeed feed, Sessions sessions, Users users) {
    this.feed = feed;
    this.sessions = sessions;
    this.users = users;
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
                HttpMethod.GET,
                PATH,
                Role.VIEWER,
                "Rollout progress as Server-Sent Events: a 'snapshot' event with every rollout, then"
                    + " a 'rollout' event per change; heartbeat comments; at most a few streams per"
                    + " user (429 beyond)",
                this::stream)
            .producing("text/event-stream"));
  }

  private ApiAnswer stream(ApiCall call) {
    Principal p = call.requirePrincipal();
    String sessionKey = null;
    BooleanSupplier allowed;
    if (p.viaSession()) {
      String cookie =
          RouteGuard.cookie(call.request().headers(), RouteGuard.SESSION_COOKIE).orElseThrow();
      sessionKey = Sha256.hex(cookie);
      allowed = () -> sessions.resolve(cookie).isPresent();
    } else {
      var since = users.find(p.user()).map(u -> u.passwordChangedAt()).orElse(null);
      allowed =
          () -> users.find(p.user()).map(u -> u.passwordChangedAt().equals(since)).orElse(false);
    }
    // The stream outlives the API's whole-request timeout by design; heartbeats keep it alive.
    call.ctx().clearRequestTimeout();
    return ApiAnswer.stream(feed.open(p.user(), sessionKey, allowed));
  }
}
