package org.debvisor.common.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every DebVisor gRPC server does the same way: serve reflection, and stop by refusing new
 * calls, letting those in flight finish, then cutting the rest.
 */
public final class GrpcServers {

  private GrpcServers() {}

  /**
   * Server reflection v1 and v1alpha, so that grpcurl needs no proto files (older grpcurl releases
   * ask only v1alpha).
   */
  public static List<ServerServiceDefinition> reflectionServices() {
    @SuppressWarnings("deprecation")
    BindableService v1alpha = ProtoReflectionService.newInstance();
    return List.of(ProtoReflectionServiceV1.newInstance().bindService(), v1alpha.bindService());
  }

  /**
   * Shuts every server down, waits up to {@code grace} for each one's calls in flight, then cancels
   * what is left. Keeps the thread's interrupt flag when interrupted.
   */
  public static void stop(List<Server> servers, Duration grace) {
    servers.forEach(Server::shutdown);
    for (Server server : servers) {
      try {
        if (!server.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
          server.shutdownNow();
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
