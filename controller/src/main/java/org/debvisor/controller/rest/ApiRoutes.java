package org.debvisor.controller.rest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.controller.identity.Authenticator;
import org.debvisor.controller.identity.Sessions;
import org.debvisor.controller.identity.Users;
import org.debvisor.controller.inventory.Database;

/** Every route of the API in one list: what the server binds and what the access check reads. */
final class ApiRoutes {

  private ApiRoutes() {}

  static List<ApiRoute> all(
      FleetApi fleet,
      RolloutApi rollouts,
      Authenticator authenticator,
      Sessions sessions,
      Users users,
      RolloutEventFeed rolloutEvents,
      InstallProgressApi installs,
      IsoApi isos,
      Database db,
      Clock clock) {
    AuditRoutes audit = new AuditRoutes(db);
    List<ApiRoute> routes = new ArrayList<>();
    routes.addAll(new HealthRoutes(fleet).routes());
    routes.addAll(new SessionRoutes(authenticator, sessions, rolloutEvents).routes());
    NodeListCache lists =
        new NodeListCache(
            db::generation,
            System::nanoTime,
            RestLimits.LIST_MAX_AGE,
            RestLimits.LIST_CACHE_ENTRIES);
    routes.addAll(new NodeRoutes(fleet, audit, lists).routes());
    routes.addAll(audit.routes());
    routes.addAll(new TokenRoutes(fleet, clock).routes());
    routes.addAll(new UserRoutes(users).routes());
    routes.addAll(new RolloutRoutes(rollouts).routes());
    routes.addAll(new RolloutEventRoutes(rolloutEvents, sessions, users).routes());
    routes.addAll(new InstallRoutes(installs).routes());
    if (isos != null) {
      routes.addAll(new IsoRoutes(isos).routes());
    }
    routes.add(OpenApiDocument.route(routes));
    return List.copyOf(routes);
  }
}
