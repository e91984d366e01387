package org.debvisor.common.violation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Violations as an RFC 9457 problem-details document ({@code application/problem+json}), the REST
 * counterpart of {@link BadRequests}: status 400, the {@code field: rule} summary as {@code
 * detail}, and each violation under the extension member {@code violations}.
 */
public final class ProblemDetails {

  /** The media type RFC 9457 registers. */
  public static final String MEDIA_TYPE = "application/problem+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ProblemDetails() {}

  /** The JSON document for a 400 caused by {@code violations}. */
  public static String badRequest(List<Violation> violations) {
    ObjectNode problem = JSON.createObjectNode();
    problem.put("type", "about:blank");
    problem.put("title", "Bad Request");
    problem.put("status", 400);
    problem.put("detail", Violation.summary(violations));
    ArrayNode list = problem.putArray("violations");
    for (Violation v : violations) {
      list.addObject().put("field", v.field()).put("rule", v.rule());
    }
    return problem.toString();
  }
}
