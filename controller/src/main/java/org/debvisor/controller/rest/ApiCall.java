package org.debvisor.controller.rest;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Optional;

/**
 * One request as a handler sees it: the context, the whole body, and who is calling (if anyone).
 */
record ApiCall(ServiceRequestContext ctx, AggregatedHttpRequest request, Principal principal) {

  Optional<Principal> caller() {
    return Optional.ofNullable(principal);
  }

  /** The authenticated caller; routes that need a role always have one. */
  Principal requirePrincipal() {
    if (principal == null) {
      throw ApiProblem.unauthenticated("log in: basic auth or a session cookie");
    }
    return principal;
  }

  String pathParam(String name) {
    return ctx.pathParam(name);
  }

  String query(String name, String fallback) {
    String v = ctx.queryParams().get(name);
    return v == null ? fallback : v;
  }

  String source() {
    return ctx.clientAddress().getHostAddress();
  }
}
