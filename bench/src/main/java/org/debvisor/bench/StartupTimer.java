package org.debvisor.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.StatusRequest;

/**
 * Start → serving of a Status server: from just before its process starts to its first OK {@code
 * debvisor.Node/Status} answer on loopback. It polls the port with plain connects every 10 ms (a
 * gRPC channel would back off for a second after a refused connection), then makes one call.
 */
final class StartupTimer {

  /** Starts the server's process; the timer owns nothing else. */
  @FunctionalInterface
  interface Launch {
    Process start() throws IOException;
  }

  /** One timed start; the process is left running for the caller to stop. */
  record Start(Duration toServing, Process process) {}

  private static final long POLL_MILLIS = 10;

  private StartupTimer() {}

  static Start time(Launch launch, int port, Duration limit) throws Exception {
    long t0 = System.nanoTime();
    Process process = launch.start();
    long deadline = t0 + limit.toNanos();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    while (!accepts(address)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("server on port " + port + " did not listen in " + limit);
      }
      Thread.sleep(POLL_MILLIS);
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(address.getHostString(), port).usePlaintext().build();
    try {
      NodeGrpc.newBlockingStub(channel)
          .withWaitForReady()
          .withDeadlineAfter(
              Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS)
          .status(StatusRequest.getDefaultInstance());
      return new Start(Duration.ofNanos(System.nanoTime() - t0), process);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops a timed server as systemd would (SIGTERM), so its exit work (CDS archive) happens. */
  static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
