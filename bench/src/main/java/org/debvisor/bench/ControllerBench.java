package org.debvisor.bench;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.CreateBootstrapTokenResponse;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.RegisterNodeResponse;

/**
 * The controller under load in its own JVM ({@code debvisor controller serve}): RegisterNode with a
 * fresh CSR and token per call against a bare TLS echo baseline and the raw cost of its durable
 * parts, then many simulated agents heartbeating, with the controller's CPU and heap after GC.
 */
final class ControllerBench {

  /** What {@link #run} measured, and the Markdown section describing it. */
  /**
   * What a run printed, and its three parts of docs/benchmarks.md: the load line, the RegisterNode
   * section and the heartbeat section (each its own marked section, so notes may stand between).
   */
  record Outcome(String console, String load, String register, String heartbeats) {}

  private static final int CLOCK_TICKS_PER_SECOND = 100;

  private final Path controllerJar;
  private final Path work;
  private final int durationSeconds;
  private final List<Integer> rates;
  // Enrolments before the timed rows (JIT), at least one: the baseline echoes a real answer.
  private final int warmup;
  private final int inFlight;
  private final int connections;
  private final int closedLoopCap;
  private final int agents;
  private final int heartbeatConnections;
  private final int heartbeatSeconds;
  private final String heap;
  private final List<String> javaOptions;
  // False: only the RegisterNode rows (bench/run --register-only), no heartbeat part.
  private final boolean heartbeats;

  ControllerBench(
      Path controllerJar,
      Path work,
      int durationSeconds,
      List<Integer> rates,
      int warmup,
      int inFlight,
      int connections,
      int closedLoopCap,
      int agents,
      int heartbeatConnections,
      int heartbeatSeconds,
      String heap,
      List<String> javaOptions,
      boolean heartbeats) {
    this.controllerJar = controllerJar;
    this.work = work;
    this.durationSeconds = durationSeconds;
    this.rates = rates;
    this.warmup = Math.max(1, warmup);
    this.inFlight = inFlight;
    this.connections = connections;
    this.closedLoopCap = closedLoopCap;
    this.agents = agents;
    this.heartbeatConnections = heartbeatConnections;
    this.heartbeatSeconds = heartbeatSeconds;
    this.heap = heap;
    this.javaOptions = List.copyOf(javaOptions);
    this.heartbeats = heartbeats;
  }

  private List<String> jvm() {
    List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xmx" + heap));
    options.addAll(javaOptions);
    return options;
  }

  Outcome run() throws Exception {
    String loadBefore = LocalProcesses.loadAverage();
    Path state = work.resolve("controller");
    int port = LocalProcesses.freePort();
    Process controller =
        start(
            work.resolve("controller.log"),
            jvm(),
            "-jar",
            controllerJar.toString(),
            "controller",
            "serve",
            "--state-dir",
            state.toString(),
            "--listen",
            "127.0.0.1:" + port,
            "--heartbeat-interval",
            "10s",
            // The per-address limit would refuse a load generator on one address: off for this.
            "--register-burst",
            "1000000",
            "--register-rate",
            "1000000",
            "--rest-listen",
            "off");
    Process baseline = null;
    List<ManagedChannel> open = new ArrayList<>();
    try {
      Path ca = state.resolve("pki/ca.pem");
      ControllerGrpc.ControllerFutureStub operator = awaitOperator(state, port, controller, open);

      int needed = warmup + closedLoopCap;
      for (int rate : rates) {
        needed += rate * durationSeconds;
      }
      if (heartbeats) {
        needed = Math.max(needed, agents);
      }
      long t0 = System.nanoTime();
      List<String> tokens = createTokens(operator, needed);
      double tokenSeconds = (System.nanoTime() - t0) / 1e9;
      List<EnrolmentRequests.Prepared> requests = EnrolmentRequests.prepare("bench-node-", tokens);

      List<ManagedChannel> tls = channels(port, ca, open);
      RegisterLoad ours = new RegisterLoad(tls, requests, "controller");
      // Warm-up (JIT, connections); also gives a real answer for the baseline to echo.
      ours.closedLoop(inFlight, Duration.ofSeconds(600), warmup);
      RegisterNodeResponse sample = sampleAnswer(ours);

      Path answer = Files.write(work.resolve("register-answer.bin"), sample.toByteArray());
      int baselinePort = LocalProcesses.freePort();
      baseline =
          start(
              work.resolve("baseline-controller.log"),
              List.of("-XX:+UseSerialGC", "-Xmx256m"),
              "-cp",
              ownJar(),
              BaselineControllerServer.class.getName(),
              Integer.toString(baselinePort),
              state.resolve("pki/server.pem").toString(),
              state.resolve("pki/server.key").toString(),
              answer.toString());
      List<ManagedChannel> baseChannels = channels(baselinePort, ca, open);
      awaitBaseline(baseChannels.get(0), baseline);
      RegisterLoad base = new RegisterLoad(baseChannels, requests, "baseline (TLS echo)");
      base.closedLoop(inFlight, Duration.ofSeconds(5), closedLoopCap);

      List<LoadResult> register = new ArrayList<>();
      Duration d = Duration.ofSeconds(durationSeconds);
      register.add(
          cpu(
              baseline,
              () ->
                  new RegisterLoad(baseChannels, requests, "baseline (TLS echo)")
                      .closedLoop(inFlight, d, closedLoopCap)));
      register.add(cpu(controller, () -> ours.closedLoop(inFlight, d, closedLoopCap)));
      for (int rate : rates) {
        register.add(
            cpu(
                baseline,
                () ->
                    new RegisterLoad(baseChannels, requests, "baseline (TLS echo)")
                        .openLoop(rate, d)));
        register.add(cpu(controller, () -> ours.openLoop(rate, d)));
      }
      baseline.destroy();
      register.add(DurablePartsBaseline.sqliteCommit(work.resolve("raw"), Duration.ofSeconds(5)));
      register.add(DurablePartsBaseline.certificateSignature(Duration.ofSeconds(5)));

      // Shown at once: a failure in the heartbeat part below would otherwise lose these rows.
      System.out.println(BenchmarkRunner.table(register));
      if (!heartbeats) {
        String table = BenchmarkRunner.table(register);
        String load = loadLine(loadBefore, LocalProcesses.loadAverage());
        return new Outcome(
            table + "\n" + registerAnalysis(register) + load,
            load,
            registerMarkdown(table, register),
            "");
      }

      // Top up to the number of simulated agents (not measured).
      while (ours.enrolled().size() < agents && ours.remaining() > 0) {
        ours.closedLoop(inFlight, Duration.ofSeconds(60), agents - ours.enrolled().size());
      }
      List<EnrolledNode> enrolled = new ArrayList<>(ours.enrolled());
      long cpuBefore;
      long cpuAfter;
      LoadResult heartbeats;
      double wall;
      try (HeartbeatLoad load =
          new HeartbeatLoad(List.of(port), ca, enrolled, heartbeatConnections)) {
        long refused = load.connectAll();
        if (refused > 0) {
          throw new IllegalStateException(refused + " heartbeat connections were refused");
        }
        cpuBefore = LocalProcesses.cpuTicks(controller);
        long w0 = System.nanoTime();
        heartbeats = load.run(agents, Duration.ofSeconds(10), Duration.ofSeconds(heartbeatSeconds));
        wall = (System.nanoTime() - w0) / 1e9;
        cpuAfter = LocalProcesses.cpuTicks(controller);
      }
      double cores = (cpuAfter - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND / wall;
      heartbeats = heartbeats.withServerCpu((cpuAfter - cpuBefore) * 1e6 / CLOCK_TICKS_PER_SECOND);
      long heapAfterGc = LocalProcesses.heapAfterGc(controller);
      long rss = LocalProcesses.rssKib(controller);
      long nodes = countNodes(operator);

      String registerTable = BenchmarkRunner.table(register);
      String heartbeatTable = BenchmarkRunner.table(List.of(heartbeats));
      String summary =
          String.format(
              Locale.ROOT,
              "controller during heartbeats: %.2f cores (CPU time / wall over %.0f s), heap after"
                  + " full GC %.1f MiB (-Xmx%s), RSS %d MiB, %d nodes enrolled; %d tokens"
                  + " pre-created in %.1f s",
              cores,
              wall,
              heapAfterGc / 1048576.0,
              heap,
              rss / 1024,
              nodes,
              tokens.size(),
              tokenSeconds);
      String loadAfter = LocalProcesses.loadAverage();
      String console =
          registerTable
              + "\n"
              + heartbeatTable
              + "\n"
              + summary
              + "\nload average before / after: "
              + loadBefore
              + " / "
              + loadAfter
              + "\n";
      return new Outcome(
          console,
          loadLine(loadBefore, loadAfter),
          registerMarkdown(registerTable, register),
          heartbeatMarkdown(heartbeatTable, cores, wall, heapAfterGc, rss, nodes, enrolled.size()));
    } finally {
      for (ManagedChannel c : open) {
        c.shutdownNow();
      }
      if (baseline != null) {
        baseline.destroy();
      }
      controller.destroy();
      controller.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String loadLine(String before, String after) {
    return "Controller runs below. Load average (1, 5, 15 min) before / after them: "
        + before
        + " / "
        + after
        + " on "
        + Runtime.getRuntime().availableProcessors()
        + " CPUs; other work shared the machine, so absolute figures are pessimistic.\n";
  }

  private String registerMarkdown(String registerTable, List<LoadResult> register) {
    return "## Controller `debvisor.Controller/RegisterNode` (durable, certificate issued)\n\n"
        + "The controller runs as `debvisor controller serve` in its own JVM (`-XX:+UseSerialGC -Xmx"
        + heap
        + "`), SQLite WAL with synchronous=FULL, over TLS on loopback. Every call carries a fresh EC"
        + " P-256 key's CSR and a fresh single-use token (tokens created through CreateBootstrapToken"
        + " and CSRs made before the timed part). One call = check the token and CSR, sign a"
        + " certificate with the CA's P-256 key, and in one committed transaction consume the token,"
        + " record node, certificate and audit row. The per-address RegisterNode rate limit is"
        + " raised for the load generator. Before the timed rows "
        + warmup
        + " enrolments (closed loop, not measured) warm the controller up: its JIT compiles a"
        + " method called once per enrolment at full optimisation only after about 5000 calls, and"
        + " that compilation's CPU would otherwise count as the timed enrolments'. Closed loop keeps "
        + inFlight
        + " calls in flight over "
        + connections
        + " connections for "
        + durationSeconds
        + " s (at most "
        + closedLoopCap
        + " calls); open loop sends at a fixed rate for "
        + durationSeconds
        + " s, timed from when each call was due. **baseline (TLS echo)** is a bare grpc-java server"
        + " with the controller's TLS certificate answering the same request with a canned answer of"
        + " the same size (the transport's limit); **raw** rows are the durable parts alone, one"
        + " thread each.\n\n"
        + registerTable
        + "\n"
        + registerAnalysis(register)
        + "\nWhere the time goes (JFR profiles of the controller under this load with"
        + " `--controller-java-option=-XX:StartFlightRecording=...,settings=profile`, 2026-12-03,"
        + " machine loaded): of RegisterNode's CPU samples about 42 % verify the CSR's P-256"
        + " self-signature (Bouncy Castle, twice the JDK's speed here) and 44 % issue the"
        + " certificate, two thirds of that the CA's P-256 signature; the group-committed"
        + " transaction (SQLite, audit row) is about 10 %. Until 2026-12-03 every enrolment also"
        + " counted the active nodes per cluster on a fresh SQLite connection for"
        + " `debvisor_node_count` (a cost growing with the inventory; now counted when /metrics is"
        + " scraped), and issuing parsed every certificate into the JDK's type and re-read the CA"
        + " certificate's name and key identifier; until the same day each certificate's validity"
        + " times went through a new `SimpleDateFormat` (Bouncy Castle's `Time`, about a tenth of"
        + " issuing; now encoded once per second) and its PEM through `JcaPEMWriter` (now Base64,"
        + " the same text). With the former 300 warm-up calls the JIT compiler threads used about"
        + " as much CPU as the RPC threads during these short runs (hence the warm-up above); they"
        + " still compile a little during the rows. Enrolment stays bound by signature"
        + " CPU, not by the disk or the transport. In an open-loop row where the"
        + " controller falls behind, the latency is queueing, and calls still outstanding when the"
        + " 30 s drain ends count neither as done nor as errors (requests < rate × seconds).\n"
        + "\nTargets (SPEC §8): at least 500 enrolments/s; p99 < 50 ms.\n";
  }

  private String heartbeatMarkdown(
      String heartbeatTable,
      double cores,
      double wall,
      long heapAfterGc,
      long rss,
      long nodes,
      int enrolled) {
    return "## Controller with "
        + agents
        + " simulated agents heartbeating\n\n"
        + "Simulated agents: "
        + enrolled
        + " nodes enrolled through RegisterNode above. "
        + agents
        + " agents report every 10 s, evenly spread (an open loop at "
        + agents / 10
        + " heartbeats/s for "
        + heartbeatSeconds
        + " s) with a ~100-byte status. They share "
        + heartbeatConnections
        + " mutual-TLS connections, each presenting a different enrolled node's certificate, so"
        + " every call is authenticated against the inventory and written (UPDATE of that node's"
        + " last_seen/last_status, one committed transaction, not fsynced — see"
        + " docs/controller.md) — but for "
        + heartbeatConnections
        + " distinct nodes, not "
        + agents
        + ", and with "
        + heartbeatConnections
        + " instead of "
        + agents
        + " TLS connections held open.\n\n"
        + heartbeatTable
        + "\n"
        + String.format(
            Locale.ROOT,
            "Controller during the run: **%.2f cores** (process CPU time / wall over %.0f s);"
                + " **heap after a full GC %.1f MiB**, RSS %d MiB; %d nodes in the inventory.%n",
            cores,
            wall,
            heapAfterGc / 1048576.0,
            rss / 1024,
            nodes)
        + "\nTargets (SPEC §8): 10 000 agents at 10 s in < 1 GiB heap and < 1 core; heartbeat p99"
        + " reported above.\n";
  }

  /** Where a RegisterNode's time goes, from the rows of this run. */
  private static String registerAnalysis(List<LoadResult> rows) {
    LoadResult ours = null;
    LoadResult echo = null;
    LoadResult commit = null;
    LoadResult sign = null;
    for (LoadResult r : rows) {
      if (r.scenario().contains("closed loop") && r.target().equals("controller")) {
        ours = r;
      } else if (r.scenario().contains("closed loop")) {
        echo = r;
      } else if (r.scenario().startsWith("SQLite")) {
        commit = r;
      } else if (r.scenario().startsWith("sign")) {
        sign = r;
      }
    }
    if (ours == null || echo == null || commit == null || sign == null || ours.requests() == 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "- controller: %.0f enrolments/s, %.0f µs of server CPU each; the TLS echo does %.0f/s at"
            + " %.0f µs.%n"
            + "- alone, one SQLite commit takes %.2f ms (p50) — at most %.0f commits/s in one"
            + " writer — and one certificate signature %.2f ms (p50), %.0f/s per core.%n",
        ours.qps(),
        ours.serverCpuMicros() / ours.requests(),
        echo.qps(),
        echo.requests() == 0 ? 0 : echo.serverCpuMicros() / echo.requests(),
        commit.p50Micros() / 1000,
        commit.qps(),
        sign.p50Micros() / 1000,
        sign.qps());
  }

  private interface Measured {
    LoadResult run() throws Exception;
  }

  private static LoadResult cpu(Process server, Measured m) throws Exception {
    long before = LocalProcesses.cpuTicks(server);
    LoadResult r = m.run();
    return r.withServerCpu(
        (LocalProcesses.cpuTicks(server) - before) * 1e6 / CLOCK_TICKS_PER_SECOND);
  }

  private static RegisterNodeResponse sampleAnswer(RegisterLoad load) {
    EnrolledNode any = load.enrolled().peek();
    if (any == null) {
      throw new IllegalStateException("no RegisterNode call succeeded during the warm-up");
    }
    return RegisterNodeResponse.newBuilder()
        .setCertificatePem(any.certificatePem())
        .setCaBundlePem(any.certificatePem())
        .setNodeId(any.nodeId())
        .build();
  }

  static List<String> createTokens(ControllerGrpc.ControllerFutureStub operator, int count)
      throws Exception {
    List<String> tokens = new ArrayList<>(count);
    List<ListenableFuture<CreateBootstrapTokenResponse>> batch = new ArrayList<>();
    CreateBootstrapTokenRequest request =
        CreateBootstrapTokenRequest.newBuilder()
            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(7200))
            .build();
    for (int i = 0; i < count; i++) {
      batch.add(operator.withDeadlineAfter(120, TimeUnit.SECONDS).createBootstrapToken(request));
      if (batch.size() == 64 || i == count - 1) {
        for (ListenableFuture<CreateBootstrapTokenResponse> f : batch) {
          tokens.add(f.get(120, TimeUnit.SECONDS).getToken());
        }
        batch.clear();
      }
    }
    return tokens;
  }

  private List<ManagedChannel> channels(int port, Path ca, List<ManagedChannel> open)
      throws IOException {
    List<ManagedChannel> list = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      ManagedChannel c =
          NettyChannelBuilder.forAddress("127.0.0.1", port)
              .sslContext(GrpcSslContexts.forClient().trustManager(ca.toFile()).build())
              .build();
      list.add(c);
      open.add(c);
    }
    return list;
  }

  /** Waits up to 60 s for the controller's operator token and CA, then a ListNodes answer. */
  static ControllerGrpc.ControllerFutureStub awaitOperator(
      Path state, int port, Process controller, List<ManagedChannel> open) throws Exception {
    return awaitOperator(state, port, controller, open, Duration.ofSeconds(60));
  }

  /** As above, waiting up to {@code wait} (a loaded machine starts a JVM slowly). */
  static ControllerGrpc.ControllerFutureStub awaitOperator(
      Path state, int port, Process controller, List<ManagedChannel> open, Duration wait)
      throws Exception {
    return awaitOperator(state, port, controller::isAlive, open, wait);
  }

  /** As above for a controller whose liveness {@code alive} tells. */
  static ControllerGrpc.ControllerFutureStub awaitOperator(
      Path state,
      int port,
      java.util.function.BooleanSupplier alive,
      List<ManagedChannel> open,
      Duration wait)
      throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    Path tokenFile = state.resolve("operator-token");
    while (true) {
      try {
        if (Files.exists(tokenFile) && Files.exists(state.resolve("pki/ca.pem"))) {
          Metadata headers = new Metadata();
          headers.put(
              Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
              "Bearer " + Files.readString(tokenFile, StandardCharsets.UTF_8).strip());
          ManagedChannel c =
              NettyChannelBuilder.forAddress("127.0.0.1", port)
                  .sslContext(
                      GrpcSslContexts.forClient()
                          .trustManager(state.resolve("pki/ca.pem").toFile())
                          .build())
                  .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                  .build();
          open.add(c);
          ControllerGrpc.newBlockingStub(c)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .listNodes(ListNodesRequest.getDefaultInstance());
          return ControllerGrpc.newFutureStub(c);
        }
      } catch (io.grpc.StatusRuntimeException | IOException e) {
        // not up yet
      }
      if (!alive.getAsBoolean() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the controller did not come up in " + wait + "; see its log beside " + state);
      }
      Thread.sleep(200);
    }
  }

  private static void awaitBaseline(ManagedChannel channel, Process baseline) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        ControllerGrpc.newBlockingStub(channel)
            .withDeadlineAfter(2, TimeUnit.SECONDS)
            .heartbeat(org.debvisor.proto.HeartbeatRequest.getDefaultInstance());
        return;
      } catch (io.grpc.StatusRuntimeException e) {
        if (!baseline.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("the TLS echo baseline did not come up", e);
        }
        Thread.sleep(200);
      }
    }
  }

  private static long countNodes(ControllerGrpc.ControllerFutureStub operator) throws Exception {
    return operator
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .listNodes(ListNodesRequest.getDefaultInstance())
        .get(60, TimeUnit.SECONDS)
        .getNodesCount();
  }

  static Process start(Path log, List<String> jvm, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(jvm);
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static String ownJar() throws Exception {
    return Path.of(
            ControllerBench.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }
}
