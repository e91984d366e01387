package org.debvisor.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.debvisor.common.digest.Sha256;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts a real agent process and a bare grpc-java baseline process on loopback, loads both with
 * the same scenarios, prints a table and writes it to {@code docs/benchmarks.md}: only the sections
 * this run measured, between their markers (see {@link MarkedSections}); notes and the sections of
 * other runs stay as they are.
 */
@Command(name = "bench", mixinStandardHelpOptions = true)
public final class BenchmarkRunner implements Callable<Integer> {

  /** USER_HZ: 100 on every Linux architecture DebVisor supports. */
  private static final int CLOCK_TICKS_PER_SECOND = 100;

  /** UpdateConfig calls run under strace to count the agent's fsyncs (not timed). */
  private static final int TRACED_UPDATES = 200;

  private static final int PAIRED_ROUNDS = 5;
  private static final Duration PAIRED_ROUND = Duration.ofSeconds(3);

  /** The sections this runner writes, in page order. */
  static final MarkedSections SECTIONS =
      new MarkedSections(
          List.of(
              "run",
              "agent-status",
              "agent-update-config",
              "bundle-validation",
              "controller-load",
              "controller-register",
              "controller-heartbeats"));

  // The bare server's JVM: the limit of this machine, not tuned for footprint.
  private static final List<String> BASELINE_JVM =
      List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx256m");

  private double fsyncsPerApply = Double.NaN;
  private PackagedJvm agentJvm;
  private List<Double> pairedRatios = List.of();

  @Option(names = "--agent-jar", required = true, description = "The agent's shaded jar.")
  Path agentJar;

  @Option(names = "--out", defaultValue = "docs/benchmarks.md")
  Path out;

  @Option(names = "--duration", defaultValue = "10", description = "Seconds per scenario.")
  int durationSeconds;

  @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per server.")
  int warmupSeconds;

  @Option(names = "--in-flight", defaultValue = "64")
  int inFlight;

  @Option(names = "--connections", defaultValue = "4", description = "Client connections.")
  int connections;

  @Option(names = "--rates", split = ",", defaultValue = "1000,5000")
  List<Integer> rates;

  @Option(names = "--config-rates", split = ",", defaultValue = "50,200")
  List<Integer> configRates;

  // One connection keeps the chain of versions in order; with several, an update that overtakes
  // its predecessor is refused and every later one in the chain with it.
  @Option(names = "--config-callers", defaultValue = "1")
  int configCallers;

  @Option(names = "--hypervisor-uri", defaultValue = "test:///default")
  String hypervisorUri;

  @Option(names = "--command", defaultValue = "bench/run", description = "Shown in the report.")
  String command;

  @Option(
      names = "--controller-jar",
      description = "The controller's shaded jar; without it the controller is not measured.")
  Path controllerJar;

  @Option(names = "--skip-agent", description = "Measure only the controller.")
  boolean skipAgent;

  @Option(
      names = "--config-only",
      description = "Of the agent, measure only UpdateConfig (and its raw-write baseline).")
  boolean configOnly;

  @Option(
      names = "--register-only",
      description =
          "Only the controller's RegisterNode rows (no agent, no heartbeats); only their section"
              + " of --out (and the load line above it) is replaced, the rest of the page kept.")
  boolean registerOnly;

  @Option(names = "--register-rates", split = ",", defaultValue = "100,500")
  List<Integer> registerRates;

  @Option(
      names = "--register-warmup",
      defaultValue = "6000",
      description =
          "RegisterNode calls before the timed rows, not measured: the JIT compiles a method called"
              + " once per enrolment at full optimisation only after about 5000 calls, so with"
              + " fewer it compiles during the timed rows and its CPU counts as the enrolments'.")
  int registerWarmup;

  @Option(names = "--register-in-flight", defaultValue = "32")
  int registerInFlight;

  @Option(
      names = "--register-max",
      defaultValue = "10000",
      description = "Most RegisterNode calls in the closed loop (one token each).")
  int registerMax;

  @Option(names = "--agents", defaultValue = "10000", description = "Simulated agents.")
  int agents;

  @Option(names = "--heartbeat-connections", defaultValue = "1000")
  int heartbeatConnections;

  @Option(names = "--heartbeat-seconds", defaultValue = "60")
  int heartbeatSeconds;

  @Option(names = "--controller-heap", defaultValue = "1g")
  String controllerHeap;

  @Option(
      names = "--controller-java-option",
      description = "Extra JVM option for the controller, e.g. -XX:StartFlightRecording=...")
  List<String> controllerJavaOptions = new ArrayList<>();

  @Option(
      names = "--agent-defaults",
      defaultValue = "agent/src/deb/etc/debvisor-agent",
      description =
          "The .deb's /etc/default file: the agent runs with its JVM flags and environment.")
  Path agentDefaults;

  @Option(
      names = "--agent-java-option",
      description = "Extra JVM option for the agent, e.g. -XX:StartFlightRecording=...")
  List<String> agentJavaOptions = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchmarkRunner()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (Files.isRegularFile(out)) {
      try {
        // Before minutes of measuring: the page must take the results.
        SECTIONS.check(Files.readString(out, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        System.err.println("bench: error: " + out + ": " + e.getMessage());
        return 2;
      }
    }
    if (registerOnly && controllerJar == null) {
      System.err.println("bench: error: --register-only needs --controller-jar");
      return 2;
    }
    Path work = Files.createTempDirectory("debvisor-bench");
    Map<String, String> measured = new LinkedHashMap<>();
    measured.put("run", "");
    if (!skipAgent && !registerOnly) {
      measured.putAll(agentReport(work));
    }
    if (controllerJar != null) {
      ControllerBench.Outcome controller =
          new ControllerBench(
                  controllerJar,
                  Files.createDirectories(work.resolve("controller-bench")),
                  durationSeconds,
                  registerRates,
                  registerWarmup,
                  registerInFlight,
                  connections,
                  registerMax,
                  agents,
                  heartbeatConnections,
                  heartbeatSeconds,
                  controllerHeap,
                  controllerJavaOptions,
                  !registerOnly)
              .run();
      System.out.println(controller.console());
      measured.put("controller-load", controller.load());
      measured.put("controller-register", controller.register());
      if (!registerOnly) {
        measured.put("controller-heartbeats", controller.heartbeats());
      }
    }
    measured.put("run", header(measured.keySet()));
    Path docs = Files.createDirectories(out.toAbsolutePath().getParent());
    String page =
        Files.isRegularFile(out)
            ? SECTIONS.update(Files.readString(out, StandardCharsets.UTF_8), measured)
            : SECTIONS.create("Benchmarks", measured, optInSections(docs));
    Files.writeString(out, page, StandardCharsets.UTF_8);
    System.out.println("wrote the sections " + measured.keySet() + " of " + out);
    return 0;
  }

  /**
   * A new page's opt-in sections, copied from their scripts' pages; afterwards each script keeps
   * its own section up to date (bench/iso-run rewrites from its heading to the next).
   */
  private static String optInSections(Path docs) throws IOException {
    StringBuilder sections = new StringBuilder();
    for (OptInSection section :
        List.of(
            OptInSection.HA,
            OptInSection.BACKUP,
            OptInSection.ROLLOUT,
            OptInSection.REST,
            OptInSection.GRPC,
            OptInSection.SOAK,
            OptInSection.IMAGE,
            OptInSection.ISO,
            OptInSection.IMAGE_INSTALL)) {
      sections.append(section.from(docs));
    }
    return sections.toString();
  }

  private String header(java.util.Set<String> sections) throws IOException {
    List<String> names = sections.stream().filter(s -> !s.equals("run")).toList();
    return "Produced by `"
        + command
        + "` on "
        + LocalDate.now()
        + (names.isEmpty() ? " (no section measured" : " (sections " + String.join(", ", names))
        + "; the others are from earlier runs). Machine: "
        + machine()
        + ". Java "
        + System.getProperty("java.version")
        + ".\n";
  }

  /** The agent's Status and UpdateConfig scenarios against their baselines, by section. */
  private Map<String, String> agentReport(Path work) throws Exception {
    int agentPort = LocalProcesses.freePort();
    Path config = work.resolve("agent.yaml");
    Path managed = Files.createDirectories(work.resolve("managed"));
    String token = "bench-" + Long.toHexString(new java.security.SecureRandom().nextLong());
    String tokenSha = Sha256.hex(token);
    Files.writeString(
        config,
        String.join(
            "\n",
            "grpc:",
            "  listen: [\"127.0.0.1:" + agentPort + "\"]",
            "http:",
            "  listen: \"127.0.0.1:" + LocalProcesses.freePort() + "\"",
            "collectors:",
            "  ceph:",
            "    confFile: " + work.resolve("no-ceph.conf"),
            "  hypervisor:",
            "    uri: " + hypervisorUri,
            "  kubernetes:",
            "    kubeconfig: " + work.resolve("no-kubeconfig"),
            "config:",
            "  stateDir: " + work.resolve("state"),
            "  allowedRoots: [\"" + managed + "\"]",
            "auth:",
            "  tokens: [{name: bench, sha256: " + tokenSha + "}]",
            // Rate limits stay on (their cost is measured) but high enough not to refuse.
            "rateLimits:",
            "  statusPerCaller: {capacity: 10000000, perSecond: 10000000}",
            "  statusGlobal: {capacity: 10000000, perSecond: 10000000}",
            "  configPerCaller: {capacity: 100000, perSecond: 100000}",
            "  configGlobal: {capacity: 100000, perSecond: 100000}",
            "logging:",
            "  level: WARN",
            ""));
    List<LoadResult> results = new ArrayList<>();
    List<LoadResult> configResults = new ArrayList<>();
    long agentRss;
    long baselineRss;
    int reportBytes;
    // The agent as the .deb starts it: what operators run is what is measured.
    agentJvm = PackagedJvm.read(agentDefaults);
    List<String> agentArgs = new ArrayList<>(agentJvm.options());
    agentArgs.addAll(agentJavaOptions);
    agentArgs.addAll(List.of("-jar", agentJar.toString(), "--config", config.toString()));
    Process agent = start(work.resolve("agent.log"), agentJvm.environment(), agentArgs);
    Process baseline = null;
    try {
      NodeStatus report = awaitStatus(agentPort, agent);
      reportBytes = report.getSerializedSize();
      Path reportFile = work.resolve("report.bin");
      Files.write(reportFile, report.toByteArray());
      int baselinePort = LocalProcesses.freePort();
      List<String> baselineArgs = new ArrayList<>(BASELINE_JVM);
      baselineArgs.addAll(
          List.of(
              "-cp",
              ownJar(),
              BaselineNodeServer.class.getName(),
              Integer.toString(baselinePort),
              reportFile.toString()));
      baseline = start(work.resolve("baseline.log"), Map.of(), baselineArgs);
      awaitStatus(baselinePort, baseline);
      Target base = new Target("baseline", baselinePort, baseline);
      Target ours = new Target("agent", agentPort, agent);
      if (!configOnly) {
        // Warm both JVMs (and this client) before measuring either, then alternate, so neither
        // side profits from running second.
        warmUp(base);
        warmUp(ours);
        results.addAll(measure(List.of(base, ours)));
      }
      baselineRss = LocalProcesses.rssKib(baseline);
      agentRss = LocalProcesses.rssKib(agent);
      configResults.add(
          DurableWriteBaseline.run(work.resolve("raw"), Duration.ofSeconds(durationSeconds)));
      configResults.addAll(
          measureConfig(ours, token, managed.resolve("bench.conf"), work.resolve("raw-paired")));
    } finally {
      agent.destroy();
      if (baseline != null) {
        baseline.destroy();
      }
      agent.waitFor(10, TimeUnit.SECONDS);
    }
    String table = table(results);
    System.out.println(table);
    String configTable = table(configResults);
    System.out.println(configTable);
    System.out.printf(
        Locale.ROOT,
        "report size %d bytes; RSS after load: agent %d MiB, baseline %d MiB%n",
        reportBytes,
        agentRss / 1024,
        baselineRss / 1024);
    Map<String, String> sections = new LinkedHashMap<>();
    if (!configOnly) {
      sections.put("agent-status", markdown(table, results, reportBytes, agentRss, baselineRss));
    }
    sections.put("agent-update-config", configMarkdown(configTable, configResults));
    if (!configOnly) {
      String validation = BundleValidationBench.markdown();
      System.out.println(validation);
      sections.put("bundle-validation", validation);
    }
    return sections;
  }

  /** A server under test. */
  private record Target(String name, int port, Process process) {}

  private interface Scenario {
    LoadResult run(StatusLoad load) throws InterruptedException;
  }

  private void warmUp(Target target) throws InterruptedException {
    withLoad(target, load -> load.closedLoop(inFlight, Duration.ofSeconds(warmupSeconds)));
  }

  private List<LoadResult> measure(List<Target> targets) throws Exception {
    List<Scenario> scenarios = new ArrayList<>();
    scenarios.add(load -> load.closedLoop(inFlight, Duration.ofSeconds(durationSeconds)));
    for (int rate : rates) {
      scenarios.add(load -> load.openLoop(rate, Duration.ofSeconds(durationSeconds)));
    }
    List<LoadResult> results = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      for (Target target : targets) {
        long cpuBefore = LocalProcesses.cpuTicks(target.process());
        LoadResult r = withLoad(target, scenario);
        long cpuTicks = LocalProcesses.cpuTicks(target.process()) - cpuBefore;
        results.add(r.withServerCpu(cpuTicks * 1e6 / CLOCK_TICKS_PER_SECOND));
      }
    }
    return results;
  }

  private List<LoadResult> measureConfig(Target agent, String token, Path file, Path rawDir)
      throws Exception {
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < configCallers; i++) {
      channels.add(
          NettyChannelBuilder.forAddress("127.0.0.1", agent.port()).usePlaintext().build());
    }
    try {
      ConfigLoad load = new ConfigLoad(channels, token, file, agent.name());
      load.closedLoop(Duration.ofSeconds(warmupSeconds)); // warm-up, discarded
      // Counted before the open loops: calls an overloaded open loop leaves queued in the agent
      // would still move the version chain under a later run.
      LoadResult[] traced = new LoadResult[1];
      long fsyncs =
          FsyncTrace.count(
              agent.process(),
              file.getParent().resolveSibling("fsync-trace.txt"),
              () -> traced[0] = load.closedLoop(Duration.ofSeconds(60), TRACED_UPDATES));
      if (traced[0].errors() > 0 || traced[0].requests() == 0) {
        throw new IllegalStateException(
            "the traced UpdateConfig run had " + traced[0].errors() + " errors");
      }
      fsyncsPerApply = (double) fsyncs / traced[0].requests();
      List<LoadResult> results = new ArrayList<>();
      for (int rate : configRates) {
        // The raw write at the same rate right before: its limit under the same load shape.
        results.add(
            DurableWriteBaseline.runAtRate(
                rawDir.resolveSibling("raw-paced"), rate, Duration.ofSeconds(durationSeconds)));
        long before = LocalProcesses.cpuTicks(agent.process());
        LoadResult r = load.openLoop(rate, Duration.ofSeconds(durationSeconds));
        results.add(
            r.withServerCpu(
                (LocalProcesses.cpuTicks(agent.process()) - before)
                    * 1e6
                    / CLOCK_TICKS_PER_SECOND));
      }
      long before = LocalProcesses.cpuTicks(agent.process());
      LoadResult max = load.closedLoop(Duration.ofSeconds(durationSeconds));
      results.add(
          max.withServerCpu(
              (LocalProcesses.cpuTicks(agent.process()) - before) * 1e6 / CLOCK_TICKS_PER_SECOND));
      pairedRatios = pairedRatios(load, rawDir);
      return results;
    } finally {
      for (ManagedChannel channel : channels) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The closed loop's p50 over the raw write's in short rounds, each raw round right before its
   * UpdateConfig round: this disk's fsync latency drifts by tens of percent between the minutes of
   * one run, so a raw row measured minutes before the closed loop can misstate the ratio both ways.
   */
  private static List<Double> pairedRatios(ConfigLoad load, Path rawDir) throws IOException {
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < PAIRED_ROUNDS; round++) {
      LoadResult raw = DurableWriteBaseline.run(rawDir, PAIRED_ROUND);
      LoadResult apply = load.closedLoop(PAIRED_ROUND);
      if (apply.errors() > 0 || apply.requests() == 0 || raw.requests() == 0) {
        throw new IllegalStateException(
            "paired round " + round + ": UpdateConfig had " + apply.errors() + " errors");
      }
      ratios.add(apply.p50Micros() / raw.p50Micros());
    }
    return ratios;
  }

  /** UpdateConfig's p50 as a multiple of the raw write's, and the fsyncs per apply. */
  private String configRatios(List<LoadResult> results) {
    LoadResult raw = results.get(0);
    StringBuilder b = new StringBuilder();
    LoadResult paced = null;
    for (LoadResult r : results.subList(1, results.size())) {
      if (r.target().equals("baseline")) {
        paced = r;
        continue;
      }
      b.append(
          String.format(
              Locale.ROOT,
              "- %s: p50 %.2f × the raw write's (limit 3 ×), p99 %.2f ×",
              r.scenario(),
              r.p50Micros() / raw.p50Micros(),
              r.p99Micros() / raw.p99Micros()));
      if (paced != null && r.scenario().startsWith("UpdateConfig open loop")) {
        b.append(
            String.format(
                Locale.ROOT,
                "; beside the raw write at the same rate, measured right before: p50 %.2f ×,"
                    + " p99 %.2f ×",
                r.p50Micros() / paced.p50Micros(),
                r.p99Micros() / paced.p99Micros()));
        paced = null;
      }
      b.append(".\n");
    }
    if (!pairedRatios.isEmpty()) {
      List<Double> sorted = pairedRatios.stream().sorted().toList();
      b.append(
          String.format(
              Locale.ROOT,
              "- UpdateConfig closed loop in %d paired rounds of %d s, each right after %d s of the"
                  + " raw write: p50 ratios %s; **median %.2f ×** (limit 3 ×).%n",
              PAIRED_ROUNDS,
              PAIRED_ROUND.toSeconds(),
              PAIRED_ROUND.toSeconds(),
              String.join(
                  ", ",
                  pairedRatios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()),
              sorted.get(sorted.size() / 2)));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "- fsync + fdatasync calls of the agent per apply: %.1f (strace -f -c over %d"
                + " closed-loop updates, not timed); the raw write makes 2.%n",
            fsyncsPerApply,
            TRACED_UPDATES));
    return b.toString();
  }

  private String configMarkdown(String table, List<LoadResult> results) {
    return "## Agent `debvisor.Node/UpdateConfig` (durable applies)\n\n"
        + "Each update replaces one 0.5 KiB file under an allowed root with a new version: validate,"
        + " journal, stage, switch, commit (current state, history), with its fsyncs issued in two"
        + " groups that each wait for the disk once: the journal with the staged file before the"
        + " switch, then the journal's commit line (see ConfigStore and docs/agent.md)."
        + " No services, empty gate. The agent runs with the .deb's JVM flags and environment (`"
        + agentJvm.describe()
        + "`). Versions form a chain, as one"
        + " controller pushing one node does, sent over "
        + configCallers
        + " connection(s) so they arrive in order (an update that overtook its predecessor would"
        + " be refused with FAILED_PRECONDITION, counted as an error, and break the chain)."
        + " Open loop sends at a fixed rate, pipelined; closed loop waits for each answer."
        + " **baseline** is the floor: write a temp"
        + " file, fsync, rename over the target, fsync the directory, in a loop in one thread:"
        + " back to back, and at each open loop's rate right before that loop (each write timed"
        + " from when it was due, as the open loop times its updates).\n\n"
        + table
        + "\n"
        + configRatios(results)
        + "\nTarget (SPEC §8): p99 < 50 ms at 200 updates/s.\n";
  }

  private LoadResult withLoad(Target target, Scenario scenario) throws InterruptedException {
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      channels.add(
          NettyChannelBuilder.forAddress(
                  InetAddress.getLoopbackAddress().getHostAddress(), target.port())
              .usePlaintext()
              .directExecutor()
              .build());
    }
    try {
      return scenario.run(new StatusLoad(channels, target.name()));
    } finally {
      for (ManagedChannel channel : channels) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  static String table(List<LoadResult> results) {
    StringBuilder t = new StringBuilder();
    t.append(
        "| scenario | server | requests | errors | qps | p50 ms | p99 ms | p99.9 ms | max ms"
            + " | server CPU µs/req |\n");
    t.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (LoadResult r : results) {
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %.0f | %.3f | %.3f | %.3f | %.3f | %s |%n",
              r.scenario(),
              r.target(),
              r.requests(),
              r.errors(),
              r.qps(),
              r.p50Micros() / 1000,
              r.p99Micros() / 1000,
              r.p999Micros() / 1000,
              r.maxMicros() / 1000,
              r.requests() == 0 || r.serverCpuMicros() == 0
                  ? "–"
                  : String.format(Locale.ROOT, "%.1f", r.serverCpuMicros() / r.requests())));
    }
    return t.toString();
  }

  private String markdown(
      String table, List<LoadResult> results, int reportBytes, long agentRss, long baselineRss) {
    return "## Agent `debvisor.Node/Status`\n\n"
        + "Load generator and both servers run on the same machine over loopback, each server in its"
        + " own JVM: the agent with the .deb's flags and environment (`"
        + agentJvm.describe()
        + "`), the baseline with `"
        + String.join(" ", BASELINE_JVM)
        + "`. **baseline** is a bare"
        + " grpc-java server answering the same method with the same report bytes and the same"
        + " threading, without interceptors, metrics or logging: the limit of this machine and"
        + " transport. Both servers are warmed up first, then each scenario runs against the"
        + " baseline and the agent in turn. The load generator shares the machine's cores with the"
        + " server, so measured qps is a floor; the server-CPU column (user + system time of the"
        + " server process divided by requests) says what one Status costs the server; at the fixed"
        + " low rates it also carries the server's idle work (timers, GC, collectors) spread over"
        + " fewer requests. Closed loop"
        + " keeps "
        + inFlight
        + " calls in flight over "
        + connections
        + " connections for "
        + durationSeconds
        + " s (maximum throughput); open loop sends at a fixed rate and times each call from when it"
        + " was due (no coordinated omission). Report size: "
        + reportBytes
        + " bytes.\n\n"
        + table
        + "\n"
        + analysis(results)
        + "\nResident memory after the runs: agent "
        + agentRss / 1024
        + " MiB, baseline "
        + baselineRss / 1024
        + " MiB.\n\n"
        + "Targets (SPEC §8): at least 20 000 qps; p99 < 5 ms at 1 000 qps on 2 cores.\n\n"
        + "This is a shared 2-core VM: the same command gave 16 000 to 44 000 qps for either"
        + " server on different runs, so compare rows of one run (the ratio), not runs.\n";
  }

  /** Where the time goes: server CPU per request, and what it means for one core. */
  private static String analysis(List<LoadResult> results) {
    StringBuilder b = new StringBuilder();
    for (LoadResult r : results) {
      if (r.scenario().startsWith("closed loop") && r.requests() > 0) {
        double micros = r.serverCpuMicros() / r.requests();
        b.append(
            String.format(
                Locale.ROOT,
                "- %s: %.1f µs of server CPU per Status at %.0f qps, i.e. about %.0f qps per core"
                    + " if the server had a core to itself.%n",
                r.target(),
                micros,
                r.qps(),
                1e6 / micros));
      }
    }
    return b.toString();
  }

  private static String machine() throws IOException {
    String cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).strip())
            .orElse("unknown CPU");
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + ")";
  }

  private static Process start(Path log, Map<String, String> environment, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }

  static NodeStatus awaitStatus(int port, Process process) throws Exception {
    return awaitStatus(port, process, Duration.ofSeconds(60));
  }

  /** The first Status answer of a server starting on loopback {@code port}, within {@code wait}. */
  static NodeStatus awaitStatus(int port, Process process, Duration wait) throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      long deadline = System.nanoTime() + wait.toNanos();
      while (true) {
        try {
          return NodeGrpc.newBlockingStub(channel)
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .status(StatusRequest.getDefaultInstance());
        } catch (io.grpc.StatusRuntimeException e) {
          if (!process.isAlive() || System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "server on port " + port + " did not come up in " + wait, e);
          }
          Thread.sleep(200);
        }
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  static String ownJar() throws Exception {
    return Path.of(
            BenchmarkRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }
}
