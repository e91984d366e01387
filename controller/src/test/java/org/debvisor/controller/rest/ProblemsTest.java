package org.debvisor.controller.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.server.RequestTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** Overload answers: a timed-out or refused request is a 503 problem that says when to retry. */
class ProblemsTest {

  private static JsonNode body(AggregatedHttpResponse r) throws Exception {
    return new ObjectMapper().readTree(r.contentUtf8());
  }

  private static void assertRetryable503(AggregatedHttpResponse r) throws Exception {
    assertThat(r.status().code()).isEqualTo(503);
    assertThat(r.headers().get("retry-after")).isEqualTo("5");
    assertThat(r.headers().get("content-type")).isEqualTo("application/problem+json");
    assertThat(body(r).path("status").asInt()).isEqualTo(503);
    assertThat(body(r).path("detail").asText()).contains("overloaded").contains("retry");
  }

  @Test
  void theRequestTimeoutIsA503WithRetryAfterNotA500() throws Exception {
    assertRetryable503(Problems.render(Problems.of(RequestTimeoutException.get())));
  }

  @Test
  void aRejectedBlockingTaskIsA503WithRetryAfter() throws Exception {
    assertRetryable503(
        Problems.render(
            Problems.of(new CompletionException(new RejectedExecutionException("full")))));
  }

  @Test
  void armeriasOwn503StatusCarriesRetryAfterToo() throws Exception {
    assertRetryable503(
        new Problems()
            .renderStatus(
                null,
                null,
                null,
                com.linecorp.armeria.common.HttpStatus.SERVICE_UNAVAILABLE,
                null,
                RequestTimeoutException.get()));
  }

  @Test
  void otherErrorsCarryNoRetryAfter() {
    AggregatedHttpResponse r = Problems.render(ApiProblem.badRequest("limit", "must be 1-1000"));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.headers().get("retry-after")).isNull();
    AggregatedHttpResponse failed = Problems.render(Problems.of(new IllegalStateException("bug")));
    assertThat(failed.status().code()).isEqualTo(500);
    assertThat(failed.headers().get("retry-after")).isNull();
  }
}
