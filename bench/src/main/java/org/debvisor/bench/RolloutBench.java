package org.debvisor.bench;

import io.grpc.ManagedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.rollout.MtlsAgentCalls;
import org.debvisor.proto.ChangeRolloutRequest;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.GetRolloutRequest;
import org.debvisor.proto.Rollout;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.sim.SimAgent;
import org.debvisor.sim.SimFleet;
import org.debvisor.sim.SimSettings;

/**
 * One small bundle rolled out to N simulated agents by a real controller process (canary, waves,
 * gates), then rolled back; beside it the limit measured in the same run: the rollout's gate
 * windows plus N bare UpdateConfig calls over mutual TLS at the same concurrency, from this JVM.
 */
final class RolloutBench {

  /** What {@link #run} measured, and the Markdown section describing it. */
  record Outcome(String console, String markdown) {}

  private static final int CLOCK_TICKS_PER_SECOND = 100;
  private static final Duration HEARTBEAT = Duration.ofSeconds(5);
  private static final String BARE_VERSION = "bare-1";
  private static final String BASE_VERSION = "base-1";
  private static final Set<String> ROLLING_OUT = Set.of("RUNNING", "PAUSED", "AWAITING_APPROVAL");
  private static final Set<String> ROLLING_BACK = Set.of("SUCCEEDED", "ROLLING_BACK");

  private final Path controllerJar;
  private final Path work;
  private final int agents;
  private final int canary;
  private final List<Integer> waves;
  private final int maxUnavailable;
  private final Duration gate;
  private final String heap;

  RolloutBench(
      Path controllerJar,
      Path work,
      int agents,
      int canary,
      List<Integer> waves,
      int maxUnavailable,
      Duration gate,
      String heap) {
    this.controllerJar = controllerJar;
    this.work = work;
    this.agents = agents;
    this.canary = canary;
    this.waves = List.copyOf(waves);
    this.maxUnavailable = maxUnavailable;
    this.gate = gate;
    this.heap = heap;
  }

  Outcome run() throws Exception {
    String loadBefore = LocalProcesses.loadAverage();
    Path state = work.resolve("controller");
    int port = LocalProcesses.freePort();
    Process controller =
        ControllerBench.start(
            work.resolve("controller.log"),
            List.of("-XX:+UseSerialGC", "-Xmx" + heap),
            "-jar",
            controllerJar.toString(),
            "controller",
            "serve",
            "--state-dir",
            state.toString(),
            "--listen",
            "127.0.0.1:" + port,
            "--heartbeat-interval",
            HEARTBEAT.toSeconds() + "s",
            "--register-burst",
            "1000000",
            "--register-rate",
            "1000000",
            "--rest-listen",
            "off");
    List<ManagedChannel> open = new ArrayList<>();
    try {
      ControllerGrpc.ControllerFutureStub operator =
          ControllerBench.awaitOperator(state, port, controller, open);
      Path ca = state.resolve("pki/ca.pem");
      List<String> tokens = ControllerBench.createTokens(operator, agents);
      AtomicInteger next = new AtomicInteger();
      long e0 = System.nanoTime();
      try (SimFleet fleet =
          SimFleet.start(
              SimSettings.of("127.0.0.1", port, ca, agents, "bench")
                  .withHeartbeatInterval(HEARTBEAT),
              hostname -> tokens.get(next.getAndIncrement()),
              null)) {
        if (!fleet.awaitEnrolment(Duration.ofMinutes(10))) {
          throw new IllegalStateException("not every simulated agent enrolled: " + fleet.summary());
        }
        double enrolSeconds = (System.nanoTime() - e0) / 1e9;
        // The limit first: it also gives every node a version for the rollback to return to.
        double bareSeconds = bareCalls(state, fleet.agents());
        // The controller learns each node's version from its next heartbeat.
        Thread.sleep(HEARTBEAT.toMillis() * 2);
        // A rollback re-sends bundles the controller rolled out: one unmeasured rollout first
        // gives every node such a version to return to.
        Rollout base =
            operator
                .createRollout(
                    CreateRolloutRequest.newBuilder()
                        .setName("bench-base")
                        .setBundle(bundle(BASE_VERSION))
                        .addWavePercents(100)
                        .setMaxUnavailable(maxUnavailable)
                        .setGateWindow(com.google.protobuf.Duration.getDefaultInstance())
                        .build())
                .get(60, TimeUnit.SECONDS);
        Rollout based = awaitLeaving(operator, base.getId(), ROLLING_OUT);
        if (!based.getState().equals("SUCCEEDED")) {
          throw new IllegalStateException(
              "the baseline rollout ended " + based.getState() + ": " + based.getReason());
        }
        Thread.sleep(HEARTBEAT.toMillis() * 2);

        long cpu0 = LocalProcesses.cpuTicks(controller);
        long r0 = System.nanoTime();
        Rollout created =
            operator
                .createRollout(
                    CreateRolloutRequest.newBuilder()
                        .setName("bench")
                        .setBundle(bundle("bench-1"))
                        .setCanary(canary)
                        .addAllWavePercents(waves)
                        .setMaxUnavailable(maxUnavailable)
                        .setMaxFailures(0)
                        .setGateWindow(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(gate.toSeconds())
                                .setNanos(gate.toNanosPart()))
                        .build())
                .get(60, TimeUnit.SECONDS);
        Rollout done = awaitLeaving(operator, created.getId(), ROLLING_OUT);
        double rolloutSeconds = (System.nanoTime() - r0) / 1e9;
        long cpu1 = LocalProcesses.cpuTicks(controller);
        if (!done.getState().equals("SUCCEEDED")) {
          throw new IllegalStateException(
              "the rollout ended " + done.getState() + ": " + done.getReason());
        }
        long heapAfterRollout = LocalProcesses.heapAfterGc(controller);

        long b0 = System.nanoTime();
        operator
            .changeRollout(
                ChangeRolloutRequest.newBuilder()
                    .setId(created.getId())
                    .setAction(ChangeRolloutRequest.Action.ROLLBACK)
                    .build())
            .get(60, TimeUnit.SECONDS);
        Rollout back = awaitLeaving(operator, created.getId(), ROLLING_BACK);
        double rollbackSeconds = (System.nanoTime() - b0) / 1e9;
        long cpu2 = LocalProcesses.cpuTicks(controller);
        if (!back.getState().equals("ROLLED_BACK")) {
          throw new IllegalStateException(
              "the rollback ended " + back.getState() + ": " + back.getReason());
        }
        long notBack =
            fleet.agents().stream().filter(a -> !a.activeVersion().equals(BASE_VERSION)).count();
        if (notBack > 0) {
          throw new IllegalStateException(
              notBack + " agents are not back on " + BASE_VERSION + " after the rollback");
        }
        long rss = LocalProcesses.rssKib(controller);
        int gates = waves.size() + (canary > 0 ? 1 : 0);
        double limit = bareSeconds + gates * gate.toMillis() / 1000.0;
        return outcome(
            loadBefore,
            enrolSeconds,
            rolloutSeconds,
            rollbackSeconds,
            bareSeconds,
            gates,
            limit,
            (cpu1 - cpu0) / (double) CLOCK_TICKS_PER_SECOND,
            (cpu2 - cpu1) / (double) CLOCK_TICKS_PER_SECOND,
            heapAfterRollout,
            rss);
      }
    } finally {
      open.forEach(ManagedChannel::shutdownNow);
      controller.destroy();
      controller.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** N UpdateConfig calls, maxUnavailable at a time, with the controller's own client code. */
  private double bareCalls(Path state, List<SimAgent> fleet) throws Exception {
    Path pki = state.resolve("pki");
    try (MtlsAgentCalls calls =
        new MtlsAgentCalls(
            pki.resolve("ca.pem"),
            pki.resolve("controller-client.pem"),
            pki.resolve("controller-client.key"))) {
      ExecutorService pool = Executors.newFixedThreadPool(maxUnavailable);
      try {
        // Connections and JIT warm first, as the controller's are after its baseline rollout.
        List<Future<?>> warm = new ArrayList<>();
        for (SimAgent agent : fleet) {
          warm.add(pool.submit(() -> calls.status(agent.address(), Duration.ofSeconds(30))));
        }
        for (Future<?> w : warm) {
          w.get(120, TimeUnit.SECONDS);
        }
        long t0 = System.nanoTime();
        List<Future<ConfigResult>> results = new ArrayList<>();
        for (SimAgent agent : fleet) {
          UpdateConfigRequest request =
              UpdateConfigRequest.newBuilder()
                  .setBundle(bundle(BARE_VERSION))
                  .setExpectedCurrentVersion(agent.activeVersion())
                  .build();
          results.add(
              pool.submit(
                  () ->
                      calls
                          .updateConfig(agent.address(), request, Duration.ofSeconds(30))
                          .getResult()));
        }
        for (Future<ConfigResult> r : results) {
          ConfigResult result = r.get(120, TimeUnit.SECONDS);
          if (result != ConfigResult.CONFIG_APPLIED) {
            throw new IllegalStateException("a bare UpdateConfig answered " + result);
          }
        }
        return (System.nanoTime() - t0) / 1e9;
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static ConfigBundle bundle(String version) {
    byte[] content = ("version=" + version + "\n").getBytes(StandardCharsets.UTF_8);
    return ConfigBundle.newBuilder()
        .setVersion(version)
        .addFiles(
            ConfigFile.newBuilder()
                .setPath("/etc/debvisor/managed/bench.conf")
                .setMode(0644)
                .setContent(com.google.protobuf.ByteString.copyFrom(content))
                .setSha256(Sha256.hex(content)))
        .build();
  }

  /** Polls the rollout until its state is none of {@code passing} (a finished state). */
  private static Rollout awaitLeaving(
      ControllerGrpc.ControllerFutureStub operator, String id, Set<String> passing)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
    while (true) {
      Rollout r =
          operator
              .getRollout(GetRolloutRequest.newBuilder().setId(id).build())
              .get(60, TimeUnit.SECONDS);
      if (!passing.contains(r.getState())) {
        return r;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "rollout " + id + " still " + r.getState() + " after 15 min");
      }
      Thread.sleep(100);
    }
  }

  private Outcome outcome(
      String loadBefore,
      double enrolSeconds,
      double rolloutSeconds,
      double rollbackSeconds,
      double bareSeconds,
      int gates,
      double limit,
      double rolloutCpu,
      double rollbackCpu,
      long heapBytes,
      long rssKib) {
    String waveText = String.join(" / ", waves.stream().map(w -> w + " %").toList());
    String table =
        String.format(
            Locale.ROOT,
            "| row | seconds | target |%n|---|---:|---|%n"
                + "| limit: %d gate windows of %d s + %d bare UpdateConfig calls, %d at a time |"
                + " %.1f | — |%n"
                + "| rollout (canary %d, waves %s, max-unavailable %d) | %.1f | < 60 |%n"
                + "| overhead = rollout − limit | %.1f | — |%n"
                + "| rollback of all %d nodes (newest first) | %.1f | < 30 |%n"
                + "| bare calls alone (the rollback's limit) | %.1f | — |%n",
            gates,
            gate.toSeconds(),
            agents,
            maxUnavailable,
            limit,
            canary,
            waveText,
            maxUnavailable,
            rolloutSeconds,
            rolloutSeconds - limit,
            agents,
            rollbackSeconds,
            bareSeconds);
    String resources =
        String.format(
            Locale.ROOT,
            "Controller CPU: %.1f s during the rollout (%.2f cores), %.1f s during the rollback;"
                + " heap after a full GC %d MiB, resident memory %d MiB. %d agents enrolled in"
                + " %.1f s (not part of the rollout). Load average before: %s.%n",
            rolloutCpu,
            rolloutCpu / rolloutSeconds,
            rollbackCpu,
            heapBytes / (1024 * 1024),
            rssKib / 1024,
            agents,
            enrolSeconds,
            loadBefore);
    return new Outcome(table + "\n" + resources, table + "\n" + resources);
  }
}
