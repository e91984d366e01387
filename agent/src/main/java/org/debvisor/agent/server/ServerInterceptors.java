package org.debvisor.agent.server;

import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The one place where cross-cutting concerns are put around every service. gRPC runs the last
 * interceptor of a list first, so the list reads from innermost to outermost.
 */
public final class ServerInterceptors {

  private ServerInterceptors() {}

  /** Interceptors for all agent services, innermost first. */
  public static List<ServerInterceptor> forAgent(MeterRegistry registry) {
    return List.of(
        // metrics inside the request context so their timing excludes nothing but id handling
        new RpcMetricsInterceptor(registry), new RequestContextInterceptor());
  }
}
