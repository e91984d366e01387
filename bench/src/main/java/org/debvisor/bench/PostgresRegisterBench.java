package org.debvisor.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.server.KillableController;
import org.debvisor.proto.ControllerGrpc;

/**
 * RegisterNode against a controller on PostgreSQL, closed loop and open loop at fixed rates, beside
 * the same-run limits: one raw insert + commit on the same PostgreSQL server and one P-256
 * certificate signature. The nodes it enrols are kept for the heartbeat runs.
 */
final class PostgresRegisterBench {

  private static final int CONNECTIONS = 4;

  private final int durationSeconds;
  // Enrolments before the timed rows, not measured (JIT; see bench/ha-run --register-warmup).
  private final int warmup;
  private final List<Integer> rates;
  private final int inFlight;
  private final int closedLoopCap;

  PostgresRegisterBench(
      int durationSeconds, int warmup, List<Integer> rates, int inFlight, int closedLoopCap) {
    this.durationSeconds = durationSeconds;
    this.warmup = warmup;
    this.rates = List.copyOf(rates);
    this.inFlight = inFlight;
    this.closedLoopCap = closedLoopCap;
  }

  /** The rows, and the nodes enrolled by them. */
  record Outcome(List<LoadResult> rows, List<EnrolledNode> enrolled) {}

  Outcome run(
      KillableController controller,
      ControllerGrpc.ControllerFutureStub operator,
      PostgresUrl rawDatabase)
      throws Exception {
    int needed = warmup + closedLoopCap;
    for (int rate : rates) {
      needed += rate * durationSeconds;
    }
    List<EnrolmentRequests.Prepared> requests =
        EnrolmentRequests.prepare("pg-node-", ControllerBench.createTokens(operator, needed));
    Path ca = controller.stateDir.resolve("pki/ca.pem");
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (int i = 0; i < CONNECTIONS; i++) {
        channels.add(
            NettyChannelBuilder.forAddress("127.0.0.1", controller.port)
                .sslContext(GrpcSslContexts.forClient().trustManager(ca.toFile()).build())
                .build());
      }
      RegisterLoad load = new RegisterLoad(channels, requests, "controller (PostgreSQL)");
      if (warmup > 0) {
        load.closedLoop(inFlight, Duration.ofSeconds(600), warmup);
      }
      Duration d = Duration.ofSeconds(durationSeconds);
      List<LoadResult> rows = new ArrayList<>();
      rows.add(withCpu(controller, () -> load.closedLoop(inFlight, d, closedLoopCap)));
      for (int rate : rates) {
        rows.add(withCpu(controller, () -> load.openLoop(rate, d)));
      }
      rows.add(DurablePartsBaseline.postgresCommit(rawDatabase, Duration.ofSeconds(5)));
      rows.add(DurablePartsBaseline.certificateSignature(Duration.ofSeconds(5)));
      return new Outcome(rows, new ArrayList<>(load.enrolled()));
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
    }
  }

  private interface Measured {
    LoadResult run() throws Exception;
  }

  private static LoadResult withCpu(KillableController controller, Measured m) throws Exception {
    long before = LocalProcesses.cpuTicks(controller.pid());
    LoadResult r = m.run();
    return r.withServerCpu((LocalProcesses.cpuTicks(controller.pid()) - before) * 1e6 / 100);
  }
}
