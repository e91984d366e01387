package org.debvisor.controller.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.RequestTimeoutException;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.debvisor.common.violation.BadRequests;
import org.debvisor.common.violation.ProblemDetails;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.identity.IdentityException;
import org.debvisor.controller.inventory.InventoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error of the API as RFC 9457 problem details, whether a handler threw it, the shared fleet
 * code refused (gRPC status with BadRequest details) or Armeria itself answered (413, 404, 405, 408
 * ...): one {@link ServerErrorHandler} for the whole server.
 */
final class Problems implements ServerErrorHandler {

  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  /** What a 503 asks the client to wait: long enough for a burst of load to pass. */
  static final java.time.Duration RETRY_AFTER = java.time.Duration.ofSeconds(5);

  private static final MediaType PROBLEM = MediaType.parse(ProblemDetails.MEDIA_TYPE);

  /** The problem a failure stands for. */
  static ApiProblem of(Throwable e) {
    Throwable cause =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    return switch (cause) {
      case ApiProblem p -> p;
      case StatusRuntimeException s -> fromStatus(s);
      // Armeria's own refusals while reading the request (body too large, timeout).
      case HttpStatusException h ->
          ApiProblem.of(h.httpStatus().code(), describe(h.httpStatus(), null));
      case IdentityException i -> fromIdentity(i);
      case UnrecognizedPropertyException u ->
          ApiProblem.badRequest(
              u.getPropertyName(), "is not a known field; see /api/v1/openapi.json");
      case JsonProcessingException j ->
          ApiProblem.badRequest("body", "is not valid JSON: " + j.getOriginalMessage());
      // The whole-request timeout fired (a loaded machine), or the blocking pool refused the work.
      case RequestTimeoutException t ->
          ApiProblem.of(
              503, "the controller is overloaded and did not answer in time; retry shortly");
      case RejectedExecutionException r ->
          ApiProblem.of(503, "the controller is overloaded; retry shortly");
      case InventoryException i when i.isTransient() -> ApiProblem.of(503, i.unavailableMessage());
      default -> {
        log.error("unexpected failure in the REST API", cause);
        yield ApiProblem.of(
            500, "internal error (" + cause.getClass().getSimpleName() + "); see the log");
      }
    };
  }

  private static ApiProblem fromStatus(StatusRuntimeException e) {
    String detail = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription();
    List<Violation> violations = BadRequests.violations(e);
    int http =
        switch (e.getStatus().getCode()) {
          case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
          case UNAUTHENTICATED -> 401;
          case PERMISSION_DENIED -> 403;
          case NOT_FOUND -> 404;
          case ALREADY_EXISTS, ABORTED, FAILED_PRECONDITION -> 409;
          case RESOURCE_EXHAUSTED -> 429;
          case UNAVAILABLE -> 503;
          case DEADLINE_EXCEEDED -> 504;
          default -> 500;
        };
    if (http == 500 && e.getStatus().getCode() != Status.Code.INTERNAL) {
      log.warn("unmapped status {} in the REST API", e.getStatus());
    }
    return new ApiProblem(http, detail, violations, null);
  }

  private static ApiProblem fromIdentity(IdentityException e) {
    List<Violation> one = List.of(new Violation(e.field(), e.rule()));
    return switch (e.kind()) {
      case INVALID -> new ApiProblem(400, e.getMessage(), one, null);
      case NOT_FOUND -> new ApiProblem(404, e.rule(), one, null);
      case CONFLICT -> new ApiProblem(409, e.rule(), one, null);
      case UNAUTHENTICATED -> ApiProblem.unauthenticated(e.rule(), one);
      case RATE_LIMITED -> new ApiProblem(429, e.rule(), one, null);
    };
  }

  static HttpResponse response(ApiProblem p) {
    return render(p).toHttpResponse();
  }

  static AggregatedHttpResponse render(ApiProblem p) {
    HttpStatus status = HttpStatus.valueOf(p.status());
    ResponseHeadersBuilder headers =
        ResponseHeaders.builder(status).contentType(PROBLEM).set("cache-control", "no-store");
    if (p.status() == 503) {
      headers.set("retry-after", Long.toString(RETRY_AFTER.toSeconds()));
    }
    if (p.wwwAuthenticate() != null) {
      headers.set("www-authenticate", p.wwwAuthenticate());
    }
    String body =
        ProblemDetails.of(p.status(), status.reasonPhrase(), p.getMessage(), p.violations());
    return AggregatedHttpResponse.of(headers.build(), HttpData.ofUtf8(body));
  }

  @Override
  public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    ApiProblem problem = of(cause);
    if (problem.status() == 413) {
      // Routes differ in their limit (install progress takes far less than the rest).
      problem =
          ApiProblem.of(
              413, "the request body is larger than " + ctx.maxRequestLength() + " bytes");
    }
    return response(problem);
  }

  @Override
  public AggregatedHttpResponse renderStatus(
      ServiceRequestContext ctx,
      ServiceConfig config,
      RequestHeaders headers,
      HttpStatus status,
      String description,
      Throwable cause) {
    if (status.code() == 413) {
      return render(
          ApiProblem.of(
              413, "the request body is larger than " + config.maxRequestLength() + " bytes"));
    }
    return render(ApiProblem.of(status.code(), describe(status, description)));
  }

  @Override
  public AggregatedHttpResponse onProtocolViolation(
      ServiceConfig config,
      RequestHeaders headers,
      HttpStatus status,
      String description,
      Throwable cause) {
    return render(ApiProblem.of(status.code(), describe(status, description)));
  }

  private static String describe(HttpStatus status, String description) {
    return switch (status.code()) {
      case 404 -> "no such resource; see /api/v1/openapi.json for the routes";
      case 405 -> "this method is not allowed here; see /api/v1/openapi.json";
      case 413 -> "the request body is larger than " + RestLimits.MAX_BODY_BYTES + " bytes";
      case 408 -> "the request took too long; retry";
      case 503 -> "the controller is overloaded and did not answer in time; retry shortly";
      default -> description == null || description.isBlank() ? status.reasonPhrase() : description;
    };
  }
}
