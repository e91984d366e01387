package org.debvisor.controller.rest;

import com.linecorp.armeria.common.HttpMethod;
import org.debvisor.controller.identity.Role;

/**
 * One route of the API: method, path pattern ({@code {name}} for a path parameter), the least role
 * it needs (null: no login needed) and its handler. {@link ApiRoutes} lists them all; the access
 * check and the OpenAPI document are built from that one list.
 */
record ApiRoute(HttpMethod method, String path, Role role, String summary, Handler handler) {

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
