package org.debvisor.controller.server;

import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.debvisor.common.grpc.RequestIdInterceptor;
import org.debvisor.common.grpc.RpcMetricsInterceptor;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.pki.OperatorTokens;

/**
 * The one place where cross-cutting concerns are put around every service. A call passes them in
 * this order: request id + logging → metrics → rate limit (RegisterNode per source) →
 * authentication → handler. Rate limiting comes before authentication so a flood costs no database
 * lookups.
 */
final class ControllerInterceptors {

  /**
   * Wrong operator tokens one source may send: a typo or two and a retry pass, a guesser or a
   * misconfigured script gets one database lookup a second.
   */
  static final ControllerSettings.RateLimit WRONG_OPERATOR_TOKENS =
      new ControllerSettings.RateLimit(10, 1);

  private ControllerInterceptors() {}

  /** Listed innermost first, as {@code ServerInterceptors.intercept} expects. */
  static List<ServerInterceptor> create(
      ControllerSettings settings, Database db, OperatorTokens operator, MeterRegistry registry) {
    return List.of(
        new AuthInterceptor(db, operator, WRONG_OPERATOR_TOKENS, registry),
        new RegisterRateLimiter(settings.registerLimit(), registry),
        new RpcMetricsInterceptor(registry),
        new RequestIdInterceptor("debvisor.controller.rpc"));
  }
}
