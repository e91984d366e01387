package org.debvisor.agent.server;

import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.debvisor.agent.ratelimit.RateLimitInterceptor;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.common.auth.AuthInterceptor;
import org.debvisor.common.auth.OperatorToken;
import org.debvisor.common.grpc.MalformedRequestGuard;
import org.debvisor.common.grpc.RequestIdInterceptor;
import org.debvisor.common.grpc.RpcMetricsInterceptor;
import org.debvisor.common.time.Ticker;
import org.debvisor.proto.NodeGrpc;

/**
 * The one place where cross-cutting concerns are put around every service. A call passes them in
 * this order: request context (id, logging) → metrics → authentication → rate limits → request
 * parsing (a malformed request is refused there) → handler. Services must be wrapped with {@link
 * MalformedRequestGuard#parsedInInterceptors} for the parsing to happen in the chain.
 */
public final class ServerInterceptors {

  /** Methods that change the node: they need an authenticated caller and have their own limits. */
  public static final Set<String> CONFIG_CHANGING_METHODS =
      Set.of(NodeGrpc.getUpdateConfigMethod().getFullMethodName());

  /** At most one log line per this interval about malformed requests. */
  static final Duration MALFORMED_LOG_INTERVAL = Duration.ofSeconds(10);

  private ServerInterceptors() {}

  /** Interceptors for all agent services, listed innermost first as gRPC expects. */
  public static List<ServerInterceptor> forAgent(AgentSettings settings, MeterRegistry registry) {
    return List.of(
        new MalformedRequestGuard("debvisor.rpc", MALFORMED_LOG_INTERVAL, Ticker.system()),
        new RateLimitInterceptor(settings.rateLimits(), CONFIG_CHANGING_METHODS, registry),
        new AuthInterceptor(
            settings.auth().tokens().stream()
                .map(t -> new OperatorToken(t.name(), t.sha256()))
                .toList(),
            settings.auth().controllerNames(),
            CONFIG_CHANGING_METHODS),
        new RpcMetricsInterceptor(registry),
        new RequestIdInterceptor("debvisor.rpc"));
  }
}
