package org.debvisor.controller.rest;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import org.debvisor.common.net.ListenFailure;
import org.debvisor.controller.identity.Authenticator;
import org.debvisor.controller.identity.Sessions;
import org.debvisor.controller.identity.Users;
import org.debvisor.controller.inventory.Database;

/**
 * The HTTPS API listener (Armeria): TLS with the controller's own certificate; plain HTTP to the
 * port is answered 400 by {@link PlainHttpRefusal} and reaches no route; body, header, request and
 * idle limits from {@link RestLimits}; every route behind the one {@link RouteGuard}; every error
 * as problem details.
 */
public final class RestServer implements AutoCloseable {

  private final Server server;
  private final RolloutEventFeed rolloutEvents;
  private final LoginPool logins;

  private RestServer(Server server, RolloutEventFeed rolloutEvents, LoginPool logins) {
    this.server = server;
    this.rolloutEvents = rolloutEvents;
    this.logins = logins;
  }

  /** Binds and starts serving; port 0 picks a free one (tests). */
  public static RestServer start(
      InetSocketAddress address,
      Path certificateFile,
      Path keyFile,
      FleetApi fleet,
      RolloutApi rollouts,
      Authenticator authenticator,
      Sessions sessions,
      Users users,
      InstallProgressApi installs,
      IsoApi isos,
      Database db,
      EventStreamLimits streamLimits,
      MeterRegistry registry,
      Clock clock) {
    ServerBuilder sb =
        Server.builder()
            // Cleartext too, only so that plain HTTP gets a problem naming HTTPS
            // (PlainHttpRefusal).
            .port(new ServerPort(address, SessionProtocol.HTTP, SessionProtocol.HTTPS))
            .tls(certificateFile.toFile(), keyFile.toFile())
            .maxRequestLength(RestLimits.MAX_BODY_BYTES)
            .requestTimeout(RestLimits.REQUEST_TIMEOUT)
            .idleTimeout(RestLimits.IDLE_TIMEOUT)
            .http1MaxHeaderSize(RestLimits.MAX_HEADER_BYTES)
            .http2MaxHeaderListSize(RestLimits.MAX_HEADER_BYTES)
            .maxNumConnections(RestLimits.MAX_CONNECTIONS)
            .blockingTaskExecutor(RestLimits.BLOCKING_THREADS)
            .errorHandler(new Problems());
    LoginPool logins = LoginPool.forThisMachine();
    RouteGuard guard = new RouteGuard(authenticator, sessions, logins.executor());
    RolloutEventFeed rolloutEvents = new RolloutEventFeed(rollouts, streamLimits);
    for (ApiRoute route :
        ApiRoutes.all(
            fleet,
            rollouts,
            authenticator,
            sessions,
            users,
            rolloutEvents,
            installs,
            isos,
            db,
            clock)) {
      sb.route()
          .methods(route.method())
          .path(route.path())
          .maxRequestLength(route.maxBodyBytes())
          .build(guard.guard(route));
    }
    PanelFiles panel = PanelFiles.load();
    sb.route().get("prefix:" + PanelFiles.PREFIX).build(panel.files());
    sb.route().get("/").build(PanelFiles.redirect());
    sb.route().get("/panel").build(PanelFiles.redirect());
    sb.decorator(new PlainHttpRefusal(registry, clock)::decorate);
    Server server = sb.build();
    try {
      server.start().join();
    } catch (RuntimeException e) {
      rolloutEvents.close();
      logins.close();
      throw new UncheckedIOException(
          ListenFailure.of(
              "the HTTPS API",
              address.getHostString() + ":" + address.getPort(),
              "--rest-listen (or off)",
              e));
    }
    return new RestServer(server, rolloutEvents, logins);
  }

  /**
   * The API routes Armeria actually serves, as "METHOD /path/{param}" (the OpenAPI test compares
   * them); the panel's static files are not part of the API.
   */
  public java.util.List<String> boundRoutes() {
    return server.config().serviceConfigs().stream()
        .filter(c -> c.route().patternString().startsWith("/api"))
        .flatMap(
            c ->
                c.route().methods().stream()
                    .map(
                        m ->
                            m.name()
                                + " "
                                + c.route().patternString().replaceAll(":([a-z_]+)", "{$1}")))
        .sorted()
        .toList();
  }

  public InetSocketAddress address() {
    InetSocketAddress bound = server.activePort(SessionProtocol.HTTPS).localAddress();
    return bound;
  }

  @Override
  public void close() {
    // Open event streams end first, or the server would wait for them to finish.
    rolloutEvents.close();
    server.stop().join();
    logins.close();
  }
}
