package org.debvisor.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.debvisor.controller.server.KillableController;

/**
 * Heartbeats of distinct enrolled nodes, each on its own mutual-TLS connection presenting its own
 * certificate, every 10 s, spread over the given controllers (node i to controller i % count); the
 * controllers' CPU, heap after a full GC and RSS over the run (after an unmeasured warm-up).
 */
final class DistinctHeartbeatBench {

  private static final Duration INTERVAL = Duration.ofSeconds(10);
  // A controller started just before (the second one) would otherwise compile its hot paths
  // during the measured part.
  private static final Duration WARMUP = Duration.ofSeconds(10);

  /** One run: the latency row and each controller's footprint. */
  record Outcome(
      String setup,
      LoadResult row,
      List<HaControllers.Footprint> controllers,
      double wallSeconds) {}

  private final Duration duration;

  DistinctHeartbeatBench(Duration duration) {
    this.duration = duration;
  }

  Outcome run(String setup, List<KillableController> controllers, List<EnrolledNode> nodes)
      throws Exception {
    Path ca = controllers.get(0).stateDir.resolve("pki/ca.pem");
    List<Integer> ports = controllers.stream().map(c -> c.port).toList();
    try (HeartbeatLoad load = new HeartbeatLoad(ports, ca, nodes, nodes.size())) {
      long refused = load.connectAll();
      if (refused > 0) {
        throw new IllegalStateException(
            refused
                + " of "
                + nodes.size()
                + " heartbeat connections were refused ("
                + setup
                + ")");
      }
      load.run(nodes.size(), INTERVAL, WARMUP);
      long[] before = HaControllers.cpuTicks(controllers);
      long start = System.nanoTime();
      LoadResult row = load.run(nodes.size(), INTERVAL, duration);
      double wall = (System.nanoTime() - start) / 1e9;
      List<HaControllers.Footprint> footprints =
          HaControllers.footprints(controllers, before, wall);
      double cpuMicros = 0;
      for (HaControllers.Footprint f : footprints) {
        cpuMicros += f.cores() * wall * 1e6;
      }
      return new Outcome(setup, relabel(row, setup).withServerCpu(cpuMicros), footprints, wall);
    }
  }

  private static LoadResult relabel(LoadResult r, String setup) {
    return new LoadResult(
        r.scenario(),
        setup,
        r.requests(),
        r.errors(),
        r.seconds(),
        r.p50Micros(),
        r.p99Micros(),
        r.p999Micros(),
        r.maxMicros(),
        r.serverCpuMicros());
  }
}
