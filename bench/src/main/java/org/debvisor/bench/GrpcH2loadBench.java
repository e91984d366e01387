package org.debvisor.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.pki.CertificateAuthority;
import org.debvisor.proto.NodeStatus;

/**
 * The agent's {@code debvisor.Node/Status} driven by h2load over plaintext (loopback) and TLS (the
 * given non-loopback address, in the network namespace bench/grpc-run creates), each beside a bare
 * grpc-java server in the same run; then the footprint (RSS, threads) of the agent against a bare
 * server with tuned flags. Every row checks what the server answered, not what h2load counted.
 */
final class GrpcH2loadBench {

  /** What {@link #run} measured; {@code refusals} names each refused row and why. */
  record Outcome(String console, String summary, String details, List<String> refusals) {}

  /** Sizes and places; all runs bounded by count and the h2load time limit. */
  record Settings(
      Path agentJar,
      Path controllerJar,
      PackagedJvm agentJvm,
      int starts,
      String hypervisorUri,
      String address,
      int connections,
      int streams,
      long requests,
      long warmup,
      H2load h2load,
      boolean statusOnly) {}

  static final String METHOD = "debvisor.Node/Status";
  static final List<String> TUNED_JVM =
      List.of("-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k");

  private static final int CLOCK_TICKS_PER_SECOND = 100;
  // A small inventory: the controller's own footprint, not its inventory's, beside the limit.
  static final int CONTROLLER_NODES = 200;
  static final int CONTROLLER_HEARTBEAT_SECONDS = 10;
  // A JVM starts slowly on a loaded machine; start-up is not what these rows measure.
  private static final Duration START_WAIT = Duration.ofMinutes(3);
  // The agent's TrimNativeHeapInterval is 2 s; a few of those, and one system-collector round.
  static final Duration IDLE_SETTLE = Duration.ofSeconds(10);

  /** One server: where it listens and how to check its answers. */
  private record Server(String name, Process process, int plainPort, int tlsPort) {}

  /** One mutual-TLS row and what the load generator itself spent on it. */
  record MtlsRow(LoadResult result, double generatorCpuMicros, String refused) {
    /** The share of its one CPU the generator was busy: near 1 means it was the bottleneck. */
    double generatorBusy() {
      return result.seconds() == 0 ? 0 : generatorCpuMicros / 1e6 / result.seconds();
    }
  }

  /** One process's memory and threads. */
  private record Footprint(String name, String flags, long rssKib, int threads) {}

  /** Start → serving of one kind of start, median of several. */
  private record StartupRow(String name, List<Duration> samples) {
    Duration median() {
      List<Duration> sorted = samples.stream().sorted().toList();
      return sorted.get(sorted.size() / 2);
    }
  }

  private final Path work;
  private final Settings s;
  private final BenchAgent agents;

  GrpcH2loadBench(Path work, Settings settings) {
    this.work = work;
    this.s = settings;
    this.agents =
        new BenchAgent(
            work,
            settings.agentJar(),
            settings.agentJvm(),
            settings.hypervisorUri(),
            settings.address());
  }

  private Path agentConfig(
      String name,
      CertificateAuthority.KeyMaterial tls,
      Path clientCa,
      String token,
      int plain,
      int secure,
      int httpPort)
      throws IOException {
    return agents.config(
        name, new BenchAgent.Listeners(plain, secure, httpPort, tls, clientCa, token), null);
  }

  private Process launchAgent(Path config, List<String> extraJvm, String log) throws IOException {
    return agents.launch(config, extraJvm, log);
  }

  Outcome run() throws Exception {
    String loadBefore = LocalProcesses.loadAverage();
    Path pki = Files.createDirectories(work.resolve("pki"));
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki, Clock.systemUTC());
    CertificateAuthority.KeyMaterial tls = ca.issueServerMaterial(pki, List.of(s.address()));
    String token = "bench-" + Long.toHexString(new java.security.SecureRandom().nextLong());
    int httpPort = LocalProcesses.freePort();
    int plainPort = LocalProcesses.freePort();
    int securePort = LocalProcesses.freePort();
    Path agentConfig = agentConfig("", tls, null, token, plainPort, securePort, httpPort);
    // The measured agent starts as the .deb's launcher starts it: with its class-data archive,
    // made here by one unmeasured start that exits (as on a node after the first stop).
    List<String> cds = cdsFlags();
    StartupTimer.stop(
        StartupTimer.time(() -> launchAgent(agentConfig, cds, "agent.log"), plainPort, START_WAIT)
            .process());
    if (!Files.isRegularFile(archive())) {
      throw new IllegalStateException("the agent made no class-data archive at " + archive());
    }
    Server agent =
        new Server("agent", launchAgent(agentConfig, cds, "agent.log"), plainPort, securePort);
    Server baseline = null;
    Server tuned = null;
    List<Footprint> footprints = new ArrayList<>();
    List<String> agentJvm = s.agentJvm().options();
    try {
      NodeStatus report =
          BenchmarkRunner.awaitStatus(agent.plainPort(), agent.process(), START_WAIT);
      Path reportFile = Files.write(work.resolve("report.bin"), report.toByteArray());
      Footprint agentAtFirstAnswer =
          footprint("agent, at its first answer", agentFlags(), agent.process());
      baseline = startBaseline("baseline", "baseline.log", agentJvm, reportFile, tls, null);
      tuned = startBaseline("tuned", "tuned-bare-server.log", TUNED_JVM, reportFile, null, null);
      Footprint tunedAtFirstAnswer =
          footprint("tuned bare server, at its first answer", TUNED_JVM, tuned.process());
      // Idle is what a node carries between scrapes: after start-up's garbage is collected and
      // the periodic trim has returned freed native memory; both servers get the same wait.
      Thread.sleep(IDLE_SETTLE.toMillis());
      footprints.add(footprint(idleName("agent"), agentFlags(), agent.process()));
      footprints.add(footprint(idleName("tuned bare server"), TUNED_JVM, tuned.process()));

      Path frame = Files.write(work.resolve("empty-request.bin"), new byte[5]);
      List<String> headers =
          List.of(
              "content-type: application/grpc", "te: trailers", "authorization: Bearer " + token);
      AgentCodes codes = new AgentCodes(httpPort, METHOD);
      long okBytes = 5L + report.getSerializedSize();
      List<LoadResult> rows = new ArrayList<>();
      List<String> refusals = new ArrayList<>();
      for (boolean overTls : List.of(false, true)) {
        String scenario =
            (overTls ? "TLS on " + s.address() : "plaintext on 127.0.0.1")
                + ", "
                + s.connections()
                + " conn × "
                + s.streams()
                + " streams";
        Map<String, String> warmupRefused = new java.util.HashMap<>();
        for (Server server : List.of(baseline, agent)) {
          String url = url(server, overTls);
          try {
            h2(url, headers, frame, s.warmup(), server, codes, okBytes, "warmup-" + server.name());
          } catch (RowRefused e) {
            warmupRefused.put(server.name(), "warm-up: " + e.getMessage());
          }
        }
        for (Server server : List.of(baseline, agent)) {
          String refused = warmupRefused.get(server.name());
          if (refused == null) {
            long cpu0 = LocalProcesses.cpuTicks(server.process());
            String name = (overTls ? "tls-" : "plain-") + server.name();
            try {
              H2load.Outcome o =
                  h2(
                      url(server, overTls),
                      headers,
                      frame,
                      s.requests(),
                      server,
                      codes,
                      okBytes,
                      name);
              long cpu = LocalProcesses.cpuTicks(server.process()) - cpu0;
              rows.add(
                  o.result(scenario, server.name(), 200)
                      .withServerCpu(cpu * 1e6 / CLOCK_TICKS_PER_SECOND));
              continue;
            } catch (RowRefused e) {
              refused = e.getMessage();
            }
          }
          refusals.add(scenario + ", " + server.name() + ": " + refused);
          System.out.println("REFUSED: " + scenario + ", " + server.name() + ": " + refused);
          rows.add(RowRefused.row(scenario, server.name(), refused));
        }
      }
      try {
        h2(url(tuned, false), headers, frame, s.requests(), tuned, codes, okBytes, "plain-tuned");
      } catch (RowRefused e) {
        refusals.add("tuned bare server's load before its footprint: " + e.getMessage());
      }
      footprints.add(footprint("agent, after the runs", agentFlags(), agent.process()));
      footprints.add(
          footprint(
              "tuned bare server, after " + s.requests() + " calls", TUNED_JVM, tuned.process()));
      footprints.add(
          footprint("baseline (agent's flags), after the runs", agentJvm, baseline.process()));
      footprints.add(agentAtFirstAnswer);
      footprints.add(tunedAtFirstAnswer);
      // Start-up alone on the machine: the servers measured above stop first.
      for (Server server : List.of(agent, baseline, tuned)) {
        StartupTimer.stop(server.process());
      }
      List<MtlsRow> mtls =
          s.statusOnly()
              ? List.of()
              : mtlsRows(
                  pki.resolve("ca.pem"), tls, ca.issueClientMaterial(pki), reportFile, token);
      mtls.stream()
          .filter(m -> m.refused() != null)
          .forEach(m -> refusals.add(m.result().scenario()));
      ControllerFootprint.Measured controller = null;
      if (s.controllerJar() != null && !s.statusOnly()) {
        controller =
            new ControllerFootprint(s.controllerJar(), work)
                .measure(CONTROLLER_NODES, CONTROLLER_HEARTBEAT_SECONDS);
        footprints.add(
            new Footprint(
                "controller serve, idle after start",
                "(none: as packaged)",
                controller.idleKib(),
                controller.idleThreads()));
        footprints.add(
            new Footprint(
                "controller serve, after "
                    + controller.nodes()
                    + " enrolments and "
                    + controller.heartbeats()
                    + " heartbeats",
                "(none: as packaged)",
                controller.loadedKib(),
                controller.loadedThreads()));
      }
      List<StartupRow> startups =
          s.statusOnly() ? List.of() : startups(agentConfig, plainPort, reportFile);
      String loadAfter = LocalProcesses.loadAverage();
      List<LoadResult> all = new ArrayList<>(rows);
      mtls.forEach(m -> all.add(m.result()));
      String table = BenchmarkRunner.table(all);
      String summary =
          summary(
              rows,
              mtls,
              footprints,
              controller,
              startups,
              report.getSerializedSize(),
              loadBefore,
              loadAfter);
      return new Outcome(
          table + "\n" + summary, summary, "All rows:\n\n" + table, List.copyOf(refusals));
    } finally {
      for (Server server : new Server[] {agent, baseline, tuned}) {
        if (server != null) {
          server.process().destroy();
          server.process().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  /**
   * Status over mutual TLS: a second agent whose TLS listener requires a client certificate from
   * the benchmark's CA, and a bare server with the same TLS setup, each driven by {@link
   * MtlsStatusGenerator} presenting a controller certificate. The generator runs in its own JVM
   * pinned to one CPU and the servers to the others, so the bare server's rate is the ceiling of
   * this generator on this machine. The agent's per-code counters must have grown by exactly the
   * calls sent, all OK; the bare server's answers are checked by the generator (any non-OK status
   * is an error and refuses the run).
   */
  private List<MtlsRow> mtlsRows(
      Path caFile,
      CertificateAuthority.KeyMaterial tls,
      CertificateAuthority.KeyMaterial client,
      Path reportFile,
      String token)
      throws Exception {
    CpuPinning pins = CpuPinning.forThisMachine();
    int httpPort = LocalProcesses.freePort();
    int plain = LocalProcesses.freePort();
    int secure = LocalProcesses.freePort();
    Path config = agentConfig("-mtls", tls, caFile, token, plain, secure, httpPort);
    Server agent =
        new Server("agent", launchAgent(config, List.of(), "agent-mtls.log"), plain, secure);
    Server bare = null;
    try {
      BenchmarkRunner.awaitStatus(plain, agent.process(), START_WAIT);
      bare =
          startBaseline(
              "baseline", "baseline-mtls.log", s.agentJvm().options(), reportFile, tls, caFile);
      pins.pinServer(agent.process());
      pins.pinServer(bare.process());
      String scenario =
          "mTLS on "
              + s.address()
              + ", "
              + s.connections()
              + " conn × "
              + s.streams()
              + " streams, Java generator ("
              + pins.describe()
              + ")";
      AgentCodes codes = new AgentCodes(httpPort, METHOD);
      List<MtlsRow> rows = new ArrayList<>();
      for (Server server : List.of(bare, agent)) {
        try {
          rows.add(generate(server, scenario, pins, caFile, client, codes));
        } catch (RowRefused e) {
          System.out.println("REFUSED: " + scenario + ", " + server.name() + ": " + e.getMessage());
          rows.add(
              new MtlsRow(
                  RowRefused.row(scenario, server.name(), e.getMessage()), 0, e.getMessage()));
        }
      }
      return rows;
    } finally {
      for (Server server : new Server[] {agent, bare}) {
        if (server != null) {
          StartupTimer.stop(server.process());
        }
      }
    }
  }

  /** One generator run against {@code server}; refuses the run unless every call was OK. */
  private MtlsRow generate(
      Server server,
      String scenario,
      CpuPinning pins,
      Path caFile,
      CertificateAuthority.KeyMaterial client,
      AgentCodes codes)
      throws Exception {
    boolean isAgent = server.name().equals("agent");
    List<String> cmd =
        pins.generatorJava(
            MtlsStatusGenerator.class,
            List.of(
                s.address(),
                Integer.toString(server.tlsPort()),
                caFile.toString(),
                client.certificateFile().toString(),
                client.keyFile().toString(),
                Integer.toString(s.connections()),
                Integer.toString(s.streams()),
                Long.toString(s.requests()),
                Long.toString(s.warmup()),
                Long.toString(s.h2load().timeLimit().toSeconds())));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    try (var out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        var in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith(MtlsStatusGenerator.WARMED)) {
        output.append(line).append('\n');
      }
      if (line == null || !line.contains(" 0 failed")) {
        throw new RowRefused(
            "mTLS warm-up against the " + server.name() + " failed: " + line + "\n" + output);
      }
      Map<String, Long> before = isAgent ? codes.read() : Map.of();
      long cpu0 = LocalProcesses.cpuTicks(server.process());
      in.println("go");
      while ((line = out.readLine()) != null) {
        output.append(line).append('\n');
      }
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new RowRefused("the mTLS load generator failed:\n" + output);
      }
      long cpu = LocalProcesses.cpuTicks(server.process()) - cpu0;
      MtlsStatusGenerator.Outcome o =
          MtlsStatusGenerator.parse(output.toString(), scenario, server.name());
      LoadResult r = o.result().withServerCpu(cpu * 1e6 / CLOCK_TICKS_PER_SECOND);
      if (r.errors() > 0 || r.requests() != s.requests()) {
        throw new RowRefused(
            "mTLS against the "
                + server.name()
                + ": "
                + r.requests()
                + " OK and "
                + r.errors()
                + " failed of "
                + s.requests());
      }
      if (isAgent) {
        Map<String, Long> answered = AgentCodes.delta(before, codes.read());
        if (!answered.equals(Map.of("OK", s.requests()))) {
          throw new RowRefused(
              "mTLS: the agent answered " + answered + " instead of " + s.requests() + " OK");
        }
      }
      return new MtlsRow(r, o.generatorCpuMicros(), null);
    } finally {
      p.destroyForcibly();
    }
  }

  private String url(Server server, boolean overTls) {
    return overTls
        ? "https://" + s.address() + ":" + server.tlsPort() + "/" + METHOD
        : "http://127.0.0.1:" + server.plainPort() + "/" + METHOD;
  }

  /**
   * Runs h2load and refuses the run unless the server answered every call OK: the agent's own
   * per-code counters, or for a bare server the reply bytes (an error carries no DATA frame).
   */
  private H2load.Outcome h2(
      String url,
      List<String> headers,
      Path frame,
      long count,
      Server server,
      AgentCodes codes,
      long okBytes,
      String name)
      throws Exception {
    boolean isAgent = server.name().equals("agent");
    Map<String, Long> before = isAgent ? codes.read() : Map.of();
    H2load.Outcome o =
        s.h2load()
            .run(
                new H2load.Load(url, s.connections(), s.streams(), count, headers, frame),
                work,
                name);
    String problem = null;
    if (o.errors(200) > 0) {
      problem = o.errors(200) + " requests without HTTP 200 (" + o.statuses() + ")";
    } else if (isAgent) {
      Map<String, Long> answered = AgentCodes.delta(before, codes.read());
      if (!answered.equals(Map.of("OK", count))) {
        problem = "the agent answered " + answered + " instead of " + count + " OK";
      }
    } else if (o.dataBytes() != count * okBytes) {
      problem =
          "received " + o.dataBytes() + " reply bytes, not " + count + " OK replies of " + okBytes;
    }
    if (problem != null) {
      throw new RowRefused(name + ": " + problem + "; see " + work.resolve(name + ".h2load.out"));
    }
    return o;
  }

  /**
   * Start → first OK Status, each kind {@code starts} times: the tuned bare server (after one
   * unmeasured start that warms this client), the agent with the packaged flags alone, and with an
   * AppCDS archive as the launcher keeps it (made by one unmeasured start that exits first).
   */
  private List<StartupRow> startups(Path agentConfig, int agentPort, Path report) throws Exception {
    int barePort = LocalProcesses.freePort();
    String benchJar = BenchmarkRunner.ownJar();
    StartupTimer.Launch bare =
        () ->
            ControllerBench.start(
                work.resolve("startup-bare.log"),
                TUNED_JVM,
                "-cp",
                benchJar,
                BaselineNodeServer.class.getName(),
                Integer.toString(barePort),
                report.toString());
    Path archive = work.resolve("cds").resolve("startup.jsa");
    Files.createDirectories(archive.getParent());
    List<String> cds = List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive");
    StartupTimer.Launch plainAgent = () -> launchAgent(agentConfig, List.of(), "agent.log");
    StartupTimer.Launch cdsAgent = () -> launchAgent(agentConfig, cds, "agent.log");
    timedStarts(bare, barePort, 1);
    List<StartupRow> rows = new ArrayList<>();
    rows.add(new StartupRow("tuned bare server", timedStarts(bare, barePort, s.starts())));
    rows.add(
        new StartupRow(
            "agent, packaged flags, no archive", timedStarts(plainAgent, agentPort, s.starts())));
    timedStarts(cdsAgent, agentPort, 1);
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("the agent made no class-data archive at " + archive);
    }
    rows.add(
        new StartupRow(
            "agent, packaged flags + AppCDS archive",
            timedStarts(cdsAgent, agentPort, s.starts())));
    StartupTimer.Start running = StartupTimer.time(cdsAgent, agentPort, START_WAIT);
    try {
      Path commandArchive = archive.resolveSibling("command.jsa");
      statusCommand(agentPort, commandArchive);
      List<Duration> samples = new ArrayList<>();
      for (int i = 0; i < s.starts(); i++) {
        samples.add(statusCommand(agentPort, commandArchive));
      }
      rows.add(new StartupRow("`debvisor-agent status -o json` (a second JVM, to exit)", samples));
    } finally {
      StartupTimer.stop(running.process());
    }
    return rows;
  }

  /**
   * One {@code debvisor-agent status -o json} as the launcher runs a short command: the packaged
   * flags, C1 only and the commands' own class-data archive; from start to its exit.
   */
  private Duration statusCommand(int agentPort, Path archive) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(s.agentJvm().options());
    cmd.addAll(
        List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:SharedArchiveFile=" + archive,
            "-XX:+AutoCreateSharedArchive",
            "-jar",
            s.agentJar().toString(),
            "status",
            "--target",
            "127.0.0.1:" + agentPort,
            "-o",
            "json"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("status.log").toFile()));
    pb.environment().putAll(s.agentJvm().environment());
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(START_WAIT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "debvisor-agent status failed; see " + work.resolve("status.log"));
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  private static List<Duration> timedStarts(StartupTimer.Launch launch, int port, int count)
      throws Exception {
    List<Duration> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StartupTimer.Start start = StartupTimer.time(launch, port, START_WAIT);
      samples.add(start.toServing());
      StartupTimer.stop(start.process());
    }
    return samples;
  }

  /**
   * A bare server; with {@code tls} also a TLS listener, mutual TLS when {@code clientCa} is set.
   */
  private Server startBaseline(
      String name,
      String log,
      List<String> jvm,
      Path report,
      CertificateAuthority.KeyMaterial tls,
      Path clientCa)
      throws Exception {
    int plain = LocalProcesses.freePort();
    int secure = tls == null ? -1 : LocalProcesses.freePort();
    List<String> args =
        new ArrayList<>(
            List.of(
                "-cp",
                BenchmarkRunner.ownJar(),
                BaselineNodeServer.class.getName(),
                Integer.toString(plain),
                report.toString()));
    if (tls != null) {
      args.addAll(
          List.of(
              s.address(),
              Integer.toString(secure),
              tls.certificateFile().toString(),
              tls.keyFile().toString()));
      if (clientCa != null) {
        args.add(clientCa.toString());
      }
    }
    Process p = ControllerBench.start(work.resolve(log), jvm, args.toArray(String[]::new));
    BenchmarkRunner.awaitStatus(plain, p, START_WAIT);
    return new Server(name, p, plain, secure);
  }

  private List<String> agentFlags() {
    return List.of(s.agentJvm().describe() + " + AppCDS archive");
  }

  private Path archive() {
    return work.resolve("cds").resolve("daemon.jsa");
  }

  /** The launcher's class-data flags for the daemon (bin/debvisor-agent). */
  private List<String> cdsFlags() throws IOException {
    Files.createDirectories(archive().getParent());
    return List.of("-XX:SharedArchiveFile=" + archive(), "-XX:+AutoCreateSharedArchive");
  }

  private static Footprint footprint(String name, List<String> flags, Process p) throws Exception {
    return new Footprint(
        name, String.join(" ", flags), LocalProcesses.rssKib(p), LocalProcesses.threads(p));
  }

  static String idleName(String process) {
    return process + ", idle " + IDLE_SETTLE.toSeconds() + " s after its first answer";
  }

  /** A summary line for a pair with a refused row: REFUSED where a figure would be. */
  private static String refusedPair(LoadResult base, LoadResult ours, String tail) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | REFUSED %s%n",
        base.scenario(),
        base.requests() == 0 ? "REFUSED" : String.format(Locale.ROOT, "%.0f", base.qps()),
        ours.requests() == 0 ? "REFUSED" : String.format(Locale.ROOT, "%.0f", ours.qps()),
        tail);
  }

  private String summary(
      List<LoadResult> rows,
      List<MtlsRow> mtls,
      List<Footprint> footprints,
      ControllerFootprint.Measured controller,
      List<StartupRow> startups,
      int reportBytes,
      String loadBefore,
      String loadAfter) {
    StringBuilder t = new StringBuilder();
    t.append("| Status via h2load | baseline req/s | agent req/s | agent / baseline | target |\n");
    t.append("|---|---:|---:|---:|---|\n");
    for (int i = 0; i + 1 < rows.size(); i += 2) {
      LoadResult base = rows.get(i);
      LoadResult ours = rows.get(i + 1);
      if (base.requests() == 0 || ours.requests() == 0) {
        t.append(refusedPair(base, ours, "| ≥ 0.9 |"));
        continue;
      }
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %.2f | ≥ 0.9 |%n",
              base.scenario(),
              base.qps(),
              ours.qps(),
              ours.qps() / base.qps()));
    }
    if (!mtls.isEmpty()) {
      t.append(
          "\n| Status over mTLS (client certificate), Java generator | baseline req/s | agent"
              + " req/s | agent / baseline | target | generator CPU µs/call (baseline, agent) |"
              + " generator busy (baseline, agent) |\n|---|---:|---:|---:|---|---:|---:|\n");
    }
    for (int i = 0; i + 1 < mtls.size(); i += 2) {
      MtlsRow base = mtls.get(i);
      MtlsRow ours = mtls.get(i + 1);
      if (base.refused() != null || ours.refused() != null) {
        t.append(refusedPair(base.result(), ours.result(), "| ≥ 0.9 | – | – |"));
        continue;
      }
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %.2f | ≥ 0.9 | %.1f, %.1f | %.0f %%, %.0f %% |%n",
              base.result().scenario(),
              base.result().qps(),
              ours.result().qps(),
              ours.result().qps() / base.result().qps(),
              base.generatorCpuMicros() / base.result().requests(),
              ours.generatorCpuMicros() / ours.result().requests(),
              100 * base.generatorBusy(),
              100 * ours.generatorBusy()));
    }
    t.append("\n| process | JVM flags | RSS MiB | threads |\n|---|---|---:|---:|\n");
    for (Footprint f : footprints) {
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | `%s` | %.0f | %d |%n",
              f.name(),
              f.flags(),
              f.rssKib() / 1024.0,
              f.threads()));
    }
    long agentIdle = footprints.get(0).rssKib();
    long tunedIdle = footprints.get(1).rssKib();
    long agentAfter = footprints.get(2).rssKib();
    long tunedAfter = footprints.get(3).rssKib();
    double bareStart = startups.isEmpty() ? 0 : startups.get(0).median().toNanos() / 1e9;
    if (!startups.isEmpty()) {
      t.append(
          "\n| start → first OK Status, median of "
              + s.starts()
              + " | seconds | all runs | × tuned bare | target |\n|---|---:|---|---:|---|\n");
    }
    for (StartupRow row : startups) {
      double median = row.median().toNanos() / 1e9;
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %s | %.2f | %s |%n",
              row.name(),
              median,
              String.join(
                  " ",
                  row.samples().stream()
                      .map(d -> String.format(Locale.ROOT, "%.2f", d.toNanos() / 1e9))
                      .toList()),
              median / bareStart,
              row.name().startsWith("agent,") ? "≤ 2" : "—"));
    }
    t.append(
        String.format(
            Locale.ROOT,
            "%nAgent RSS idle = %.2f × the tuned bare server's idle, after the runs = %.2f × (target"
                + " ≤ 1.3 × both); at each one's first answer %.2f ×. Status"
                + " report %d bytes; %d requests per row after %d warm-up calls; every row"
                + " checked: the agent's per-code counters say all OK, the bare servers sent"
                + " one full reply per call. Load average (1, 5, 15 min) before / after: %s / %s"
                + " on %d CPUs.%n",
            agentIdle / (double) tunedIdle,
            agentAfter / (double) tunedAfter,
            footprints.get(5).rssKib() / (double) footprints.get(6).rssKib(),
            reportBytes,
            s.requests(),
            s.warmup(),
            loadBefore,
            loadAfter,
            Runtime.getRuntime().availableProcessors()));
    if (!mtls.isEmpty()) {
      t.append(
          "\nmTLS rows: the generator presents a controller client certificate; both servers"
              + " require one from the benchmark's CA. Each row is checked: the generator saw"
              + " every call OK (and, for the agent, its per-code counters grew by exactly the"
              + " calls sent, all OK). The bare server's rate is also this generator's ceiling"
              + " here: a generator busy near 100 % of its CPU in the baseline row means the"
              + " ratio understates the agent's limit.\n");
    }
    if (controller != null) {
      t.append(
          String.format(
              Locale.ROOT,
              "%nController RSS idle = %.2f × the tuned bare server's idle, after %d enrolments and"
                  + " %d heartbeats = %.2f × the tuned bare server's after its load (no target"
                  + " set for the controller; shown beside the agent's limit).%n",
              controller.idleKib() / (double) tunedIdle,
              controller.nodes(),
              controller.heartbeats(),
              controller.loadedKib() / (double) tunedAfter));
    }
    return t.toString();
  }
}
