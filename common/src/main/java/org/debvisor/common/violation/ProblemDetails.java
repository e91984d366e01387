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
    return of(400, "Bad Request", Violation.summary(violations), violations);
  }

  /**
   * Any problem: {@code title} is the status's reason phrase, {@code detail} says what was wrong
   * and what to do, {@code violations} (may be empty) name each field and rule.
   */
  public static String of(int status, String title, String detail, List<Violation> violations) {
    ObjectNode problem = JSON.createObjectNode();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    ArrayNode list = problem.putArray("violations");
    for (Violation v : violations) {
      list.addObject().put("field", v.field()).put("rule", v.rule());
    }
    return problem.toString();
  }
}
