package org.debvisor.common.grpc;

import io.grpc.Server;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stopping gRPC servers the same way everywhere: stop accepting, let calls finish, then cut. */
public final class GrpcServers {

  private GrpcServers() {}

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
