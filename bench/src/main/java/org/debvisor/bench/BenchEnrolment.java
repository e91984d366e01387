package org.debvisor.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.proto.ControllerGrpc;

/**
 * Nodes enrolled through the controller's own RegisterNode (token, CSR, signed certificate, stored
 * node), over a few TLS connections: the identities the heartbeat runs present.
 */
final class BenchEnrolment {

  private static final int CONNECTIONS = 4;
  private static final int IN_FLIGHT = 32;
  private static final Duration PER_ROUND = Duration.ofMinutes(10);

  private final List<EnrolledNode> nodes;
  private final double seconds;

  private BenchEnrolment(List<EnrolledNode> nodes, double seconds) {
    this.nodes = nodes;
    this.seconds = seconds;
  }

  /** Enrols {@code count} nodes named {@code prefix}N; fails if some were refused. */
  static BenchEnrolment enrol(
      ControllerGrpc.ControllerFutureStub operator, int port, Path caFile, String prefix, int count)
      throws Exception {
    long start = System.nanoTime();
    List<String> tokens = ControllerBench.createTokens(operator, count);
    List<EnrolmentRequests.Prepared> requests = EnrolmentRequests.prepare(prefix, tokens);
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (int i = 0; i < CONNECTIONS; i++) {
        channels.add(
            NettyChannelBuilder.forAddress("127.0.0.1", port)
                .sslContext(GrpcSslContexts.forClient().trustManager(caFile.toFile()).build())
                .build());
      }
      RegisterLoad load = new RegisterLoad(channels, requests, "controller");
      // Bounded: each round either enrols what is left or gives up on a stuck controller.
      for (int round = 0; round < 3 && load.remaining() > 0; round++) {
        load.closedLoop(IN_FLIGHT, PER_ROUND, load.remaining());
      }
      if (load.enrolled().size() < count) {
        throw new IllegalStateException(
            "only "
                + load.enrolled().size()
                + " of "
                + count
                + " enrolments succeeded; see the controller's log");
      }
      return new BenchEnrolment(
          new ArrayList<>(load.enrolled()), (System.nanoTime() - start) / 1e9);
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
    }
  }

  List<EnrolledNode> nodes() {
    return nodes;
  }

  /** Tokens, keys, CSRs and RegisterNode calls together. */
  double seconds() {
    return seconds;
  }
}
