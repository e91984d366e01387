package org.debvisor.controller.rest;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.identity.Authenticator;
import org.debvisor.controller.identity.Sessions;

/**
 * The one access check every route passes, assembled once by {@link RestServer}: who is calling
 * (basic auth, else the session cookie), the CSRF token for a state change made with a cookie, and
 * the route's least role. Handlers run on the blocking executor, never on an event loop, because
 * they read the database and Argon2 is slow on purpose; logins run on their own {@link LoginPool}.
 */
final class RouteGuard {

  static final String SESSION_COOKIE = "debvisor_session";
  static final String CSRF_HEADER = "x-csrf-token";

  /**
   * Sent by the panel's fetch calls. Its 401 answers leave out {@code WWW-Authenticate: Basic}: a
   * browser answers that challenge with its own password dialog (headless Chromium waits on it
   * forever) instead of handing the 401 to the page, which shows its login form.
   */
  static final String PANEL_HEADER = "x-requested-with";

  private final Authenticator authenticator;
  private final Sessions sessions;
  private final Executor logins;

  RouteGuard(Authenticator authenticator, Sessions sessions, Executor logins) {
    this.authenticator = authenticator;
    this.sessions = sessions;
    this.logins = logins;
  }

  HttpService guard(ApiRoute route) {
    return (ctx, req) ->
        HttpResponse.of(
            req.aggregate()
                .thenApplyAsync(
                    request -> {
                      try {
                        ApiCall call =
                            new ApiCall(
                                ctx,
                                request,
                                principal(
                                    route,
                                    request.headers(),
                                    ctx.clientAddress().getHostAddress()));
                        return respond(route.handler().handle(call));
                      } catch (Exception e) {
                        ApiProblem problem = Problems.of(e);
                        return Problems.response(
                            fromBrowserScript(request.headers())
                                ? problem.withoutChallenge()
                                : problem);
                      }
                    },
                    route.login() ? logins : ctx.blockingTaskExecutor())
                .exceptionally(RouteGuard::refusedWork));
  }

  /** A login refused by a full login queue; anything else is Armeria's to answer. */
  private static HttpResponse refusedWork(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof RejectedExecutionException) {
      return Problems.response(
          ApiProblem.of(503, "too many logins are waiting for a password check; retry shortly"));
    }
    if (cause instanceof RuntimeException r) {
      throw r;
    }
    throw new CompletionException(cause);
  }

  private Principal principal(ApiRoute route, RequestHeaders headers, String source) {
    if (route.bootstrapToken()) {
      // Its Authorization header carries a bootstrap token, which the handler checks.
      return null;
    }
    if (route.isPublic()) {
      try {
        return identify(headers, source);
      } catch (ApiProblem e) {
        // Wrong basic credentials stay an error; a stale cookie must not block logging in again.
        if (headers.get("authorization") != null) {
          throw e;
        }
        return null;
      }
    }
    Principal p = identify(headers, source);
    if (p == null) {
      throw ApiProblem.unauthenticated(
          "log in: HTTP basic auth, or a session from POST /api/v1/session");
    }
    if (p.viaSession() && route.changesState()) {
      String sent = headers.get(CSRF_HEADER);
      if (sent == null
          || !MessageDigest.isEqual(
              sent.getBytes(StandardCharsets.UTF_8),
              p.csrfToken().getBytes(StandardCharsets.UTF_8))) {
        throw new ApiProblem(
            403,
            "a change made with a session cookie needs the session's CSRF token in "
                + CSRF_HEADER
                + " (from POST or GET /api/v1/session)",
            List.of(new Violation(CSRF_HEADER, sent == null ? "is required" : "does not match")),
            null);
      }
    }
    if (!p.role().includes(route.role())) {
      throw new ApiProblem(
          403,
          route.method()
              + " "
              + route.path()
              + " needs the role "
              + route.role().label()
              + " or higher; user "
              + p.user()
              + " is "
              + p.role().label(),
          List.of(new Violation("role", "must be " + route.role().label() + " or higher")),
          null);
    }
    return p;
  }

  /**
   * The panel's fetch calls and a browser's EventSource (which cannot set headers but asks for
   * text/event-stream): a Basic challenge would open the browser's own password dialog for them.
   */
  private static boolean fromBrowserScript(RequestHeaders headers) {
    String accept = headers.get("accept");
    return headers.contains(PANEL_HEADER)
        || (accept != null && accept.contains("text/event-stream"));
  }

  /** The caller by basic auth or cookie, or null when the request carries neither. */
  private Principal identify(RequestHeaders headers, String source) {
    String authorization = headers.get("authorization");
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
        throw ApiProblem.unauthenticated("only Basic authorization is accepted");
      }
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).strip()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw ApiProblem.unauthenticated("the Basic credentials are not valid base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw ApiProblem.unauthenticated("the Basic credentials need the form user:password");
      }
      char[] password = decoded.substring(colon + 1).toCharArray();
      var user =
          authenticator.authenticate(
              decoded.substring(0, colon), password, source, Authenticator.BASIC, false);
      java.util.Arrays.fill(password, '\0');
      return new Principal(user.name(), user.role(), source, null);
    }
    Optional<String> cookie = cookie(headers, SESSION_COOKIE);
    if (cookie.isEmpty()) {
      return null;
    }
    Sessions.Active active =
        sessions
            .resolve(cookie.get())
            .orElseThrow(
                () ->
                    ApiProblem.unauthenticated(
                        "the session has ended or is unknown; log in again (POST"
                            + " /api/v1/session)"));
    return new Principal(active.user().name(), active.user().role(), source, active.csrfToken());
  }

  /** The value of cookie {@code name} in the request's Cookie headers. */
  static Optional<String> cookie(RequestHeaders headers, String name) {
    for (String header : headers.getAll("cookie")) {
      for (String pair : header.split(";")) {
        String p = pair.strip();
        if (p.startsWith(name + "=")) {
          return Optional.of(p.substring(name.length() + 1));
        }
      }
    }
    return Optional.empty();
  }

  private static HttpResponse respond(ApiAnswer answer) {
    if (answer.stream() != null) {
      return answer.stream();
    }
    ResponseHeadersBuilder headers =
        ResponseHeaders.builder(HttpStatus.valueOf(answer.status()))
            .set("cache-control", "no-store")
            .set("x-content-type-options", "nosniff");
    answer.headers().forEach(headers::add);
    if (answer.json() == null) {
      return HttpResponse.of(headers.build());
    }
    headers.contentType(MediaType.JSON_UTF_8);
    return HttpResponse.of(headers.build(), answer.json());
  }
}
