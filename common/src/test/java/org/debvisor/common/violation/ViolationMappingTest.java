package org.debvisor.common.violation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViolationMappingTest {

  private final List<Violation> two =
      List.of(
          new Violation("bundle.files[2].path", "must be absolute"),
          new Violation("bundle.version", "must be positive"));

  @Test
  void grpcCarriesEveryViolationAsBadRequest() throws Exception {
    StatusRuntimeException e = BadRequests.invalidArgument(two);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("bundle.files[2].path: must be absolute; bundle.version: must be positive");
    BadRequest detail = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
    assertThat(detail.getFieldViolations(1).getField()).isEqualTo("bundle.version");
    assertThat(detail.getFieldViolations(1).getDescription()).isEqualTo("must be positive");
    assertThat(BadRequests.violations(e)).isEqualTo(two);
    assertThat(BadRequests.violations(Status.INTERNAL.asRuntimeException())).isEmpty();
  }

  @Test
  void aCustomDescriptionKeepsTheDetails() {
    StatusRuntimeException e = BadRequests.invalidArgument("2 problem(s)", two);

    assertThat(e.getStatus().getDescription()).isEqualTo("2 problem(s)");
    assertThat(BadRequests.violations(e)).isEqualTo(two);
  }

  @Test
  void problemDetailsFollowRfc9457() throws Exception {
    JsonNode problem = new ObjectMapper().readTree(ProblemDetails.badRequest(two));

    assertThat(problem.get("type").asText()).isEqualTo("about:blank");
    assertThat(problem.get("title").asText()).isEqualTo("Bad Request");
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("detail").asText()).isEqualTo(Violation.summary(two));
    assertThat(problem.get("violations").get(0).get("field").asText())
        .isEqualTo("bundle.files[2].path");
    assertThat(problem.get("violations").get(0).get("rule").asText()).isEqualTo("must be absolute");
    assertThat(ProblemDetails.MEDIA_TYPE).isEqualTo("application/problem+json");
  }

  @Test
  void printsAsFieldColonRule() {
    assertThat(new Violation("a.b", "is wrong")).hasToString("a.b: is wrong");
  }
}
