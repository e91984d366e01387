package org.debvisor.bench;

import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.debvisor.controller.ha.SharedCaSeed;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.server.KillableController;
import org.debvisor.proto.ControllerGrpc;

/**
 * {@code bench/ha-run}: the controller at scale and in failover (issue 20). RegisterNode on
 * PostgreSQL beside its same-run limits; heartbeats of N distinct enrolled nodes (one mutual-TLS
 * connection each) against one controller on SQLite, one on PostgreSQL and two on one PostgreSQL;
 * failover time after SIGKILL of the leader. Writes docs/ha-benchmarks.md.
 */
public final class HaBenchmark {

  /** What a run measures; all by default. */
  enum Part {
    register,
    heartbeats,
    failover
  }

  /** The engines of the one-controller heartbeat rows. */
  enum Engine {
    sqlite,
    postgresql
  }

  /** The page's fixed opening; what each run measured follows in its sections. */
  static final String HEADER =
      "# Controller scale and failover benchmarks (issue 20)\n\n"
          + "Written by `bench/ha-run` (opt-in). Load generator, controllers and PostgreSQL share"
          + " the machine over loopback. One part alone: `bench/ha-run --parts register`, `--parts"
          + " heartbeats` (with `--engines sqlite` or `--engines postgresql` for one engine;"
          + " PostgreSQL runs one and two controllers), `--parts failover`; `--nodes`,"
          + " `--heartbeat-seconds` and `--failover-runs` shrink a run for a loaded machine. A run"
          + " rewrites only the sections it measured; each section ends with the command, date and"
          + " load average of its run. The PostgreSQL is the tests' own (Debian's package, initdb"
          + " into a temporary directory, `fsync=off`), so its commits are not durable: compare its"
          + " rows with the raw PostgreSQL row of the same run, not with SQLite's synchronous=FULL"
          + " rows.\n";

  private final Options options;
  private final Path work;
  private final HaControllers controllers;

  /** Section name (see {@link HaPage#SECTIONS}) to its Markdown, in the order measured. */
  private final Map<String, String> measured = new LinkedHashMap<>();

  private HaBenchmark(Options options, Path work) {
    this.options = options;
    this.work = work;
    this.controllers = new HaControllers(options.heap, options.controllerJavaOptions, "10s");
  }

  /** The command line, with the sizes as defaults. */
  record Options(
      int nodes,
      int heartbeatSeconds,
      int failoverRuns,
      String leasePeriod,
      List<Integer> registerRates,
      int durationSeconds,
      int registerWarmup,
      int inFlight,
      int registerMax,
      List<Part> parts,
      List<Engine> engines,
      String heap,
      List<String> controllerJavaOptions,
      Path out,
      String command) {

    static Options parse(String[] args) {
      int nodes = 10_000;
      int heartbeatSeconds = 60;
      int failoverRuns = 5;
      String leasePeriod = "4s";
      List<Integer> rates = List.of(500);
      int duration = 10;
      int registerWarmup = 6_000;
      int inFlight = 32;
      int registerMax = 10_000;
      List<Part> parts = List.of(Part.values());
      List<Engine> engines = List.of(Engine.values());
      String heap = "1g";
      List<String> javaOptions = new ArrayList<>();
      Path out = Path.of("docs/ha-benchmarks.md");
      String command = "bench/ha-run";
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--nodes" -> nodes = bounded("--nodes", value, 2, 50_000);
          case "--heartbeat-seconds" ->
              heartbeatSeconds = bounded("--heartbeat-seconds", value, 10, 3_600);
          case "--failover-runs" -> failoverRuns = bounded("--failover-runs", value, 1, 20);
          case "--lease-period" -> leasePeriod = required("--lease-period", value);
          case "--register-rates" ->
              rates =
                  Arrays.stream(required("--register-rates", value).split(","))
                      .map(r -> bounded("--register-rates", r, 1, 10_000))
                      .toList();
          case "--duration" -> duration = bounded("--duration", value, 1, 600);
          case "--register-warmup" ->
              registerWarmup = bounded("--register-warmup", value, 0, 1_000_000);
          case "--in-flight" -> inFlight = bounded("--in-flight", value, 1, 1_000);
          case "--register-max" -> registerMax = bounded("--register-max", value, 1, 1_000_000);
          case "--parts" -> parts = names("--parts", value, Part::valueOf);
          case "--engines" -> engines = names("--engines", value, Engine::valueOf);
          case "--heap" -> heap = required("--heap", value);
          // Repeatable, e.g. -Xlog:gc:file=/tmp/gc-%p.log (%p: the pid, as a part may start several
          // controllers). They end by SIGKILL: a JFR recording of theirs is not readable.
          case "--controller-java-option" ->
              javaOptions.add(required("--controller-java-option", value));
          case "--out" -> out = Path.of(required("--out", value));
          case "--command" -> command = required("--command", value);
          default ->
              throw new IllegalArgumentException(
                  "unknown option " + args[i] + "; see the comment at the top of bench/ha-run");
        }
        i++;
      }
      return new Options(
          nodes,
          heartbeatSeconds,
          failoverRuns,
          leasePeriod,
          rates,
          duration,
          registerWarmup,
          inFlight,
          registerMax,
          parts,
          engines,
          heap,
          List.copyOf(javaOptions),
          out,
          command);
    }

    private static String required(String option, String value) {
      if (value == null) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return value;
    }

    private static int bounded(String option, String value, int min, int max) {
      int n;
      try {
        n = Integer.parseInt(required(option, value).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'");
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException(
            option + " " + n + " is out of range; use " + min + " to " + max);
      }
      return n;
    }

    private static <T> List<T> names(
        String option, String value, java.util.function.Function<String, T> parse) {
      try {
        return Arrays.stream(required(option, value).split(",")).map(parse).toList();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(option + ": unknown name in '" + value + "'");
      }
    }

    boolean has(Part p) {
      return parts.contains(p);
    }

    boolean needsPostgres() {
      return has(Part.register) || has(Part.failover) || engines.contains(Engine.postgresql);
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String existing = Files.isRegularFile(options.out) ? Files.readString(options.out) : "";
    HaPage page = new HaPage(HEADER);
    page.check(existing);
    Path work = Files.createTempDirectory("debvisor-ha-bench");
    try {
      Map<String, String> sections = new HaBenchmark(options, work).run();
      Files.writeString(options.out, page.write(existing, sections));
      System.out.println("wrote " + options.out);
      Path benchmarks = options.out.toAbsolutePath().getParent().resolve("benchmarks.md");
      if (Files.isRegularFile(benchmarks)) {
        OptInSection.HA.updateIn(benchmarks, OptInSection.BACKUP);
        System.out.println("updated " + benchmarks);
      }
    } finally {
      deleteTree(work);
    }
  }

  private Map<String, String> run() throws Exception {
    try (PostgresServer server = options.needsPostgres() ? PostgresServer.start() : null) {
      if (server != null && (options.has(Part.register) || options.has(Part.heartbeats))) {
        postgresRows(server);
      }
      if (options.has(Part.heartbeats) && options.engines.contains(Engine.sqlite)) {
        sqliteHeartbeats();
      }
      if (options.has(Part.failover)) {
        failover(server);
      }
    }
    return measured;
  }

  /** RegisterNode on PostgreSQL, then heartbeats of its nodes on one and on two controllers. */
  private void postgresRows(PostgresServer server) throws Exception {
    boolean heartbeats =
        options.has(Part.heartbeats) && options.engines.contains(Engine.postgresql);
    if (!options.has(Part.register) && !heartbeats) {
      return;
    }
    PostgresUrl url = server.createDatabase();
    Path passphrase =
        SharedCaSeed.passphraseFile(work.resolve("ca-passphrase"), "ha benchmark passphrase");
    SharedCaSeed.seed(url, passphrase, work);
    List<ManagedChannel> open = new ArrayList<>();
    try (KillableController a =
        controllers.postgres(work.resolve("pg-a"), url, passphrase, options.leasePeriod)) {
      ControllerGrpc.ControllerFutureStub operator =
          ControllerBench.awaitOperator(
              a.stateDir, a.port, a::isAlive, open, HaControllers.OPERATOR_WAIT);
      List<EnrolledNode> nodes = new ArrayList<>();
      if (options.has(Part.register)) {
        String load = LocalProcesses.loadAverage();
        PostgresRegisterBench.Outcome register =
            new PostgresRegisterBench(
                    options.durationSeconds,
                    options.registerWarmup,
                    options.registerRates,
                    options.inFlight,
                    options.registerMax)
                .run(a, operator, server.createDatabase());
        String table = BenchmarkRunner.table(register.rows());
        System.out.println(table);
        measured.put("ha-register", registerSection(table) + runLine(load));
        nodes.addAll(register.enrolled());
      }
      if (!heartbeats) {
        return;
      }
      double enrolSeconds = 0;
      int toppedUp = Math.max(0, options.nodes - nodes.size());
      if (toppedUp > 0) {
        BenchEnrolment more =
            BenchEnrolment.enrol(
                operator, a.port, a.stateDir.resolve("pki/ca.pem"), "pg-hb-", toppedUp);
        nodes.addAll(more.nodes());
        enrolSeconds = more.seconds();
      }
      List<EnrolledNode> fleet = List.copyOf(nodes.subList(0, options.nodes));
      String load = LocalProcesses.loadAverage();
      DistinctHeartbeatBench bench =
          new DistinctHeartbeatBench(Duration.ofSeconds(options.heartbeatSeconds));
      List<DistinctHeartbeatBench.Outcome> outcomes = new ArrayList<>();
      outcomes.add(bench.run("1 controller, PostgreSQL", List.of(a), fleet));
      print(outcomes.getLast());
      try (KillableController b =
          controllers.postgres(work.resolve("pg-b"), url, passphrase, options.leasePeriod)) {
        outcomes.add(bench.run("2 controllers, one PostgreSQL", List.of(a, b), fleet));
        print(outcomes.getLast());
      }
      measured.put(
          "ha-heartbeats-postgresql",
          heartbeatSection(
                  "PostgreSQL",
                  outcomes,
                  String.format(
                      Locale.ROOT,
                      "%d nodes enrolled once through RegisterNode on the first controller (%s),"
                          + " reused by both runs",
                      fleet.size(),
                      toppedUp == 0
                          ? "all by the RegisterNode rows above"
                          : String.format(
                              Locale.ROOT,
                              "%d of them after the RegisterNode rows, in %.0f s",
                              toppedUp,
                              enrolSeconds)))
              + runLine(load));
    } finally {
      for (ManagedChannel c : open) {
        c.shutdownNow();
      }
    }
  }

  private void sqliteHeartbeats() throws Exception {
    List<ManagedChannel> open = new ArrayList<>();
    String load = LocalProcesses.loadAverage();
    try (KillableController s = controllers.sqlite(work.resolve("sqlite"))) {
      ControllerGrpc.ControllerFutureStub operator =
          ControllerBench.awaitOperator(
              s.stateDir, s.port, s::isAlive, open, HaControllers.OPERATOR_WAIT);
      BenchEnrolment enrolment =
          BenchEnrolment.enrol(
              operator, s.port, s.stateDir.resolve("pki/ca.pem"), "sqlite-hb-", options.nodes);
      DistinctHeartbeatBench.Outcome outcome =
          new DistinctHeartbeatBench(Duration.ofSeconds(options.heartbeatSeconds))
              .run("1 controller, SQLite", List.of(s), enrolment.nodes());
      print(outcome);
      measured.put(
          "ha-heartbeats-sqlite",
          heartbeatSection(
                  "SQLite",
                  List.of(outcome),
                  String.format(
                      Locale.ROOT,
                      "%d nodes enrolled through RegisterNode before the run, in %.0f s",
                      enrolment.nodes().size(),
                      enrolment.seconds()))
              + runLine(load));
    } finally {
      for (ManagedChannel c : open) {
        c.shutdownNow();
      }
    }
  }

  private void failover(PostgresServer server) throws Exception {
    String load = LocalProcesses.loadAverage();
    List<FailoverBench.Run> runs =
        new FailoverBench(controllers, options.leasePeriod, work).run(server, options.failoverRuns);
    StringBuilder rows = new StringBuilder();
    rows.append("| run | kill → first heartbeat answered by the survivor ms")
        .append(" | kill → lease taken by the survivor ms |\n| ---: | ---: | ---: |\n");
    for (int i = 0; i < runs.size(); i++) {
      rows.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %d |%n",
              i + 1,
              runs.get(i).firstServedMs(),
              runs.get(i).leaseTakenMs()));
    }
    long served =
        FailoverBench.median(runs.stream().map(FailoverBench.Run::firstServedMs).toList());
    long lease = FailoverBench.median(runs.stream().map(FailoverBench.Run::leaseTakenMs).toList());
    rows.append(
        String.format(
            Locale.ROOT,
            "| **median** | **%d** | **%d** |%n| limit | – | lease period %s |%n",
            served,
            lease,
            options.leasePeriod));
    System.out.println(rows);
    measured.put(
        "ha-failover",
        "\n## Failover: SIGKILL of the leader\n\n"
            + "Two `controller serve` processes (`"
            + controllers.heapOption()
            + "`, `--lease-period "
            + options.leasePeriod
            + "`) on one PostgreSQL with a shared CA; the first has taken the lease. One node,"
            + " enrolled through the first, heartbeats to it every 10 ms over mutual TLS and, when a"
            + " call fails, to the second (what the agent does with its list of controllers, without"
            + " its backoff). The leader is killed with SIGKILL. **first heartbeat answered** is"
            + " from the kill to the survivor's first answer to that node: the survivor serves every"
            + " RPC all along, so this is the client's detection and switch. **lease taken** is from"
            + " the kill to the lease row naming the survivor (polled every 10 ms from the benchmark):"
            + " from then it runs the work that must run once (rollouts, sweeps). The killed"
            + " leader's lease has to end first, so the lease period is the limit: a takeover"
            + " sooner than that would break fencing. A fresh database per run; median of "
            + runs.size()
            + " runs.\n\n"
            + rows
            + runLine(load));
  }

  private static void print(DistinctHeartbeatBench.Outcome o) {
    System.out.println(BenchmarkRunner.table(List.of(o.row())));
    System.out.println(footprints(o));
  }

  private String registerSection(String table) {
    return "\n## RegisterNode on PostgreSQL\n\n"
        + "One `controller serve` (`"
        + controllers.heapOption()
        + "`) with `--database-url` on the run's PostgreSQL, over TLS on loopback, as the SQLite"
        + " rows of [benchmarks.md](benchmarks.md) do: a fresh P-256 CSR and single-use token per"
        + " call (made before the timed part), group commit of concurrent enrolments. Before the"
        + " timed rows "
        + options.registerWarmup
        + " enrolments (closed loop, not measured) warm the controller's JIT up, as in"
        + " benchmarks.md. Closed loop keeps "
        + options.inFlight
        + " calls in flight over 4 connections for "
        + options.durationSeconds
        + " s (at most "
        + options.registerMax
        + " calls); open loop sends at a fixed rate for "
        + options.durationSeconds
        + " s, timed from when each call was due. The **raw** rows are this run's limits: one"
        + " insert + commit of a 600-byte row on the same PostgreSQL server from one thread, and"
        + " one P-256 certificate signature.\n\n"
        + table
        + "\nTargets (issue 20, SPEC §8): 500 enrolments/s with p99 < 50 ms.\n";
  }

  private String heartbeatSection(
      String engine, List<DistinctHeartbeatBench.Outcome> outcomes, String enrolled) {
    StringBuilder s = new StringBuilder();
    s.append("\n## Heartbeats of ")
        .append(options.nodes)
        .append(" distinct nodes, ")
        .append(engine)
        .append("\n\n")
        .append(enrolled)
        .append(
            ". Every node has its own mutual-TLS connection presenting its own certificate (one"
                + " Netty event loop group shared by all client channels) and reports every 10 s,"
                + " evenly spread: an open loop at ")
        .append(options.nodes / 10)
        .append(" heartbeats/s for ")
        .append(options.heartbeatSeconds)
        .append(" s after 10 s unmeasured warm-up")
        .append(
            ". With two controllers node i talks to controller i mod 2. Controllers run `"
                + controllers.heapOption()
                + "`; server CPU per request is the controllers' CPU together.\n\n");
    List<LoadResult> rows = outcomes.stream().map(DistinctHeartbeatBench.Outcome::row).toList();
    s.append(BenchmarkRunner.table(rows)).append('\n');
    for (DistinctHeartbeatBench.Outcome o : outcomes) {
      s.append(footprints(o));
    }
    s.append("\nTargets (SPEC §8): 10 000 agents at 10 s in < 1 GiB heap and < 1 core.\n");
    return s.toString();
  }

  private static String footprints(DistinctHeartbeatBench.Outcome o) {
    StringBuilder s = new StringBuilder();
    for (HaControllers.Footprint f : o.controllers()) {
      s.append(
          String.format(
              Locale.ROOT,
              "- %s, controller %s: %.2f cores (CPU time / wall over %.0f s), heap after a full GC"
                  + " %.1f MiB, RSS %d MiB%n",
              o.setup(),
              f.controller(),
              f.cores(),
              o.wallSeconds(),
              f.heapAfterGcBytes() / 1048576.0,
              f.rssKib() / 1024));
    }
    return s.toString();
  }

  /** When, how and under what load a part was measured: the last line of its section. */
  private String runLine(String loadBefore) throws Exception {
    String loadAfter = LocalProcesses.loadAverage();
    return "\nMeasured by `"
        + options.command
        + "` on "
        + LocalDate.now()
        + " ("
        + Runtime.getRuntime().availableProcessors()
        + " cores, host "
        + InetAddress.getLocalHost().getHostName()
        + ", Java "
        + System.getProperty("java.version")
        + "); load average (1, 5, 15 min) before / after this part: "
        + loadBefore
        + " / "
        + loadAfter
        + ".\n"
        + (loaded(loadBefore)
            ? "\n**Loaded run**: the load average exceeded the core count, other work shared the"
                + " machine; the figures are upper bounds, compare rows of this part with each other"
                + " and with their limits, and rerun on a quiet machine for absolute figures.\n"
            : "");
  }

  private static boolean loaded(String loadAverage) {
    double oneMinute = Double.parseDouble(loadAverage.split(",")[0].strip());
    return oneMinute > Runtime.getRuntime().availableProcessors();
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
