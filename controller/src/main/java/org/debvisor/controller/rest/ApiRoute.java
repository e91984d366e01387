package org.debvisor.controller.rest;

import com.linecorp.armeria.common.HttpMethod;
import org.debvisor.controller.identity.Role;

/**
 * One route of the API: method, path pattern ({@code {name}} for a path parameter), the least role
 * it needs (null: no login needed), its handler, whether the caller is an installer with a
 * bootstrap token instead of an operator, the largest body it takes, the media type it answers and
 * whether it always runs the password KDF (a login: it runs on the login pool, not the shared
 * request threads). {@link ApiRoutes} lists them all; the access check and the OpenAPI document are
 * built from that one list.
 */
record ApiRoute(
    HttpMethod method,
    String path,
    Role role,
    String summary,
    Handler handler,
    boolean bootstrapToken,
    long maxBodyBytes,
    String produces,
    boolean login) {

  static final String JSON = "application/json";

  /** A route for operators (or anyone, when {@code role} is null) with the server's body limit. */
  ApiRoute(HttpMethod method, String path, Role role, String summary, Handler handler) {
    this(method, path, role, summary, handler, false, RestLimits.MAX_BODY_BYTES, JSON, false);
  }

  /** The same route answering {@code mediaType} instead of JSON (the OpenAPI document says so). */
  ApiRoute producing(String mediaType) {
    return new ApiRoute(
        method, path, role, summary, handler, bootstrapToken, maxBodyBytes, mediaType, login);
  }

  /** The same route marked as a login, which checks a password with the KDF on every call. */
  ApiRoute asLogin() {
    return new ApiRoute(
        method, path, role, summary, handler, bootstrapToken, maxBodyBytes, produces, true);
  }

  /**
   * A route for installers: no login, the handler checks the bootstrap token sent as {@code
   * Authorization: Bearer}; bodies up to {@code maxBodyBytes}.
   */
  static ApiRoute forInstallers(
      HttpMethod method, String path, String summary, Handler handler, long maxBodyBytes) {
    return new ApiRoute(method, path, null, summary, handler, true, maxBodyBytes, JSON, false);
  }

  /** Answers one request that has passed the access check. */
  @FunctionalInterface
  interface Handler {
    ApiAnswer handle(ApiCall call) throws Exception;
  }

  boolean isPublic() {
    return role == null;
  }

  /** POST, PUT, PATCH, DELETE: these need the CSRF token when made with a session cookie. */
  boolean changesState() {
    return method != HttpMethod.GET && method != HttpMethod.HEAD;
  }
}
