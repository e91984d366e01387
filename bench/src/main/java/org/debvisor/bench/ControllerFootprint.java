package org.debvisor.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.proto.ControllerGrpc;

/**
 * The controller's resident memory as the .deb starts it ({@code debvisor controller serve}; its
 * /etc/default/debvisor-controller sets no JVM flags), idle after start and after a small load:
 * {@code nodes} enrolments through RegisterNode, then each node heartbeating once a second for
 * {@code heartbeatSeconds}. Every enrolment and heartbeat must succeed, else the run is refused.
 */
final class ControllerFootprint {

  /** RSS and threads idle and after the load, and how much load it was. */
  record Measured(
      long idleKib,
      int idleThreads,
      long loadedKib,
      int loadedThreads,
      int nodes,
      long heartbeats) {}

  private static final Duration START_WAIT = Duration.ofMinutes(3);

  private final Path controllerJar;
  private final Path work;

  ControllerFootprint(Path controllerJar, Path work) {
    this.controllerJar = controllerJar;
    this.work = work;
  }

  Measured measure(int nodes, int heartbeatSeconds) throws Exception {
    Path state = work.resolve("controller-rss");
    int port = LocalProcesses.freePort();
    Process controller =
        ControllerBench.start(
            work.resolve("controller-rss.log"),
            List.of(),
            "-jar",
            controllerJar.toString(),
            "controller",
            "serve",
            "--state-dir",
            state.toString(),
            "--listen",
            "127.0.0.1:" + port,
            // One load generator address enrols them all: the per-address limit is raised.
            "--register-burst",
            "1000000",
            "--register-rate",
            "1000000",
            "--rest-listen",
            "off");
    List<ManagedChannel> open = new ArrayList<>();
    try {
      ControllerGrpc.ControllerFutureStub operator =
          ControllerBench.awaitOperator(state, port, controller, open, START_WAIT);
      long idle = LocalProcesses.rssKib(controller);
      int idleThreads = LocalProcesses.threads(controller);
      Path ca = state.resolve("pki/ca.pem");
      List<String> tokens = ControllerBench.createTokens(operator, nodes);
      List<ManagedChannel> tls = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        ManagedChannel c =
            NettyChannelBuilder.forAddress("127.0.0.1", port)
                .sslContext(GrpcSslContexts.forClient().trustManager(ca.toFile()).build())
                .build();
        tls.add(c);
        open.add(c);
      }
      RegisterLoad register =
          new RegisterLoad(tls, EnrolmentRequests.prepare("rss-node-", tokens), "controller");
      LoadResult enrolled = register.closedLoop(8, Duration.ofMinutes(5), nodes);
      if (enrolled.errors() > 0 || register.enrolled().size() != nodes) {
        throw new IllegalStateException(
            "controller footprint: "
                + register.enrolled().size()
                + " of "
                + nodes
                + " enrolments succeeded, "
                + enrolled.errors()
                + " failed; see "
                + work.resolve("controller-rss.log"));
      }
      LoadResult beats;
      try (HeartbeatLoad load =
          new HeartbeatLoad(
              List.of(port), ca, List.copyOf(register.enrolled()), Math.min(nodes, 50))) {
        long refused = load.connectAll();
        if (refused > 0) {
          throw new IllegalStateException(
              "controller footprint: " + refused + " heartbeat connections were refused");
        }
        beats = load.run(nodes, Duration.ofSeconds(1), Duration.ofSeconds(heartbeatSeconds));
      }
      if (beats.errors() > 0) {
        throw new IllegalStateException(
            "controller footprint: " + beats.errors() + " heartbeats failed");
      }
      return new Measured(
          idle,
          idleThreads,
          LocalProcesses.rssKib(controller),
          LocalProcesses.threads(controller),
          nodes,
          beats.requests());
    } finally {
      for (ManagedChannel c : open) {
        c.shutdownNow();
      }
      controller.destroy();
      controller.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
