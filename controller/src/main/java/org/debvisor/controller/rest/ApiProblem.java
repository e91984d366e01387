package org.debvisor.controller.rest;

import java.util.List;
import org.debvisor.common.violation.Violation;

/**
 * An error answer of the API: HTTP status, a detail for people and the fields and rules broken.
 * Thrown by handlers and the access check, rendered by {@link Problems}.
 */
final class ApiProblem extends RuntimeException {

  private final int status;
  private final List<Violation> violations;
  private final String wwwAuthenticate;

  ApiProblem(int status, String detail, List<Violation> violations, String wwwAuthenticate) {
    super(detail);
    this.status = status;
    this.violations = List.copyOf(violations);
    this.wwwAuthenticate = wwwAuthenticate;
  }

  static ApiProblem badRequest(String field, String rule) {
    return new ApiProblem(400, field + ": " + rule, List.of(new Violation(field, rule)), null);
  }

  static ApiProblem of(int status, String detail) {
    return new ApiProblem(status, detail, List.of(), null);
  }

  static ApiProblem unauthenticated(String detail) {
    return unauthenticated(detail, List.of());
  }

  static ApiProblem unauthenticated(String detail, List<Violation> violations) {
    return new ApiProblem(401, detail, violations, "Basic realm=\"debvisor\", charset=\"UTF-8\"");
  }

  /** The same problem without the Basic challenge (see {@link RouteGuard#PANEL_HEADER}). */
  ApiProblem withoutChallenge() {
    return wwwAuthenticate == null ? this : new ApiProblem(status, getMessage(), violations, null);
  }

  int status() {
    return status;
  }

  List<Violation> violations() {
    return violations;
  }

  String wwwAuthenticate() {
    return wwwAuthenticate;
  }
}
