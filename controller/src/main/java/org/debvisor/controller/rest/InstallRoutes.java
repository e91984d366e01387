package org.debvisor.controller.rest;

import com.linecorp.armeria.common.HttpMethod;
import java.util.List;
import org.debvisor.common.violation.Violation;

/**
 * {@code /api/v1/install/progress}: installers report the phases of a machine's install,
 * authenticated by its bootstrap token as {@code Authorization: Bearer} (not consumed: the agent
 * enrols with it afterwards).
 */
final class InstallRoutes {

  static final String PATH = "/api/v1/install/progress";

  /** A report is a few short strings; anything larger is not from an installer. */
  static final long MAX_BODY_BYTES = 4 * 1024;

  private static final String CHALLENGE = "Bearer realm=\"debvisor-install\"";

  /** The body as sent; absent fields are null. */
  record ProgressBody(String phase, String message, String hostname, String arch) {}

  private final InstallProgressApi installs;

  InstallRoutes(InstallProgressApi installs) {
    this.installs = installs;
  }

  List<ApiRoute> routes() {
    return List.of(
        ApiRoute.forInstallers(
            HttpMethod.POST,
            PATH,
            "An installer's progress: {\"phase\", \"message\", \"hostname\", \"arch\"} with"
                + " Authorization: Bearer <bootstrap token>",
            this::report,
            MAX_BODY_BYTES));
  }

  private ApiAnswer report(ApiCall call) throws Exception {
    String token = bearer(call.request().headers().get("authorization"));
    ProgressBody body = JsonBodies.read(call, ProgressBody.class);
    InstallProgressApi.Report report =
        new InstallProgressApi.Report(
            orEmpty(body.phase()),
            orEmpty(body.message()),
            orEmpty(body.hostname()),
            orEmpty(body.arch()));
    return ApiAnswer.ok(JsonBodies.proto(installs.report(token, report, call.source())));
  }

  private static String bearer(String authorization) {
    if (authorization == null) {
      throw new ApiProblem(
          401,
          "send the machine's bootstrap token as Authorization: Bearer <token>",
          List.of(new Violation("authorization", "is required")),
          CHALLENGE);
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiProblem(
          401,
          "only Bearer authorization with a bootstrap token is accepted here",
          List.of(new Violation("authorization", "must be Bearer <bootstrap token>")),
          CHALLENGE);
    }
    return authorization.substring(7).strip();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
