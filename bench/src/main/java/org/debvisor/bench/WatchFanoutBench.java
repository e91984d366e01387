package org.debvisor.bench;

import java.io.BufferedReader;
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
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;

/**
 * WatchStatus fan-out: N concurrent streams receiving every report the agent publishes (its system
 * collector on a short interval, whose readings change every time), beside {@link BareWatchServer}
 * pushing the same report bytes to the same number of streams at the same rate. Each row is driven
 * by {@link WatchFanoutClient} in its own JVM on the last CPU, the servers on the others; a row is
 * refused unless every stream received every measured report exactly once and the agent's per-code
 * counters for WatchStatus show no call ended with an error. A refused row is kept with its reason
 * (printed as REFUSED) and the other rows still run.
 */
final class WatchFanoutBench {

  static final String METHOD = NodeGrpc.getWatchStatusMethod().getFullMethodName();
  private static final int CLOCK_TICKS_PER_SECOND = 100;
  private static final Duration START_WAIT = Duration.ofMinutes(3);

  /** Sizes of the fan-out rows; every run is bounded by count and {@code maxSeconds}. */
  record Settings(
      List<Integer> streams,
      int connections,
      int publications,
      Duration interval,
      long maxSeconds) {}

  /**
   * One measured row; {@code refused} says why it does not count (null when it does), and {@code
   * result} is null when the client printed none.
   */
  record Row(
      String server,
      int streams,
      WatchFanoutClient.Result result,
      double serverCpuMicros,
      double clientCpuMicros,
      String refused) {

    boolean accepted() {
      return refused == null;
    }

    double serverCpuPerMessage() {
      return serverCpuMicros / result.delivered();
    }

    /** Server CPU over every report the client received in the run, in the window or not. */
    double serverCpuPerReceived() {
      return serverCpuMicros / Math.max(1, result.received());
    }

    /** How fast the server's revision moved: reports published per second. */
    double revisionsPerSecond() {
      return result.seconds() == 0 ? 0 : result.revisions() / result.seconds();
    }

    double clientCpuPerMessage() {
      return clientCpuMicros / result.delivered();
    }

    /** The share of its one CPU the client was busy: near 1 means it was the bottleneck. */
    double clientBusy() {
      return result.seconds() == 0 ? 0 : clientCpuMicros / 1e6 / result.seconds();
    }
  }

  /** The rows, the servers' CPU with no stream open, and the report size. */
  record Outcome(
      List<Row> rows,
      double agentIdleMicros,
      double bareIdleMicros,
      int reportBytes,
      String loadBefore,
      String loadAfter) {

    /** The refused rows' reasons, one line each; empty when every row counts. */
    List<String> refusals() {
      return rows.stream()
          .filter(r -> !r.accepted())
          .map(
              r ->
                  "WatchStatus fan-out, "
                      + r.server()
                      + " with "
                      + r.streams()
                      + " streams: "
                      + r.refused())
          .toList();
    }
  }

  private final Path work;
  private final BenchAgent agents;
  private final PackagedJvm agentJvm;
  private final String address;
  private final Settings s;

  WatchFanoutBench(
      Path work, BenchAgent agents, PackagedJvm agentJvm, String address, Settings settings) {
    this.work = work;
    this.agents = agents;
    this.agentJvm = agentJvm;
    this.address = address;
    this.s = settings;
  }

  Outcome run() throws Exception {
    Path pki = Files.createDirectories(work.resolve("pki-watch"));
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki, Clock.systemUTC());
    CertificateAuthority.KeyMaterial tls = ca.issueServerMaterial(pki, List.of(address));
    String token = "bench-" + Long.toHexString(new java.security.SecureRandom().nextLong());
    int httpPort = LocalProcesses.freePort();
    int agentPort = LocalProcesses.freePort();
    Path config =
        agents.config(
            "-watch",
            new BenchAgent.Listeners(
                agentPort, LocalProcesses.freePort(), httpPort, tls, null, token),
            s.interval());
    CpuPinning pins = CpuPinning.forThisMachine();
    Process agent = agents.launch(config, List.of(), "agent-watch.log");
    Process bare = null;
    try {
      NodeStatus report = BenchmarkRunner.awaitStatus(agentPort, agent, START_WAIT);
      Path reportFile = Files.write(work.resolve("watch-report.bin"), report.toByteArray());
      int barePort = LocalProcesses.freePort();
      bare =
          ControllerBench.start(
              work.resolve("bare-watch.log"),
              agentJvm.options(),
              "-cp",
              BenchmarkRunner.ownJar(),
              BareWatchServer.class.getName(),
              Integer.toString(barePort),
              reportFile.toString(),
              Long.toString(s.interval().toMillis()));
      BenchmarkRunner.awaitStatus(barePort, bare, START_WAIT);
      pins.pinServer(agent);
      pins.pinServer(bare);
      AgentCodes codes = new AgentCodes(httpPort, METHOD);
      double agentIdle = idleCpuMicros(agent);
      double bareIdle = idleCpuMicros(bare);
      String loadBefore = LocalProcesses.loadAverage();
      List<Row> rows = new ArrayList<>();
      for (int streams : s.streams()) {
        rows.add(measure("bare", bare, barePort, token, streams, pins, null));
        rows.add(measure("agent", agent, agentPort, token, streams, pins, codes));
      }
      return new Outcome(
          rows,
          agentIdle,
          bareIdle,
          report.getSerializedSize(),
          loadBefore,
          LocalProcesses.loadAverage());
    } finally {
      for (Process p : new Process[] {agent, bare}) {
        if (p != null) {
          StartupTimer.stop(p);
        }
      }
    }
  }

  /** The server's CPU over one measuring window's length with no stream open: its own work. */
  private double idleCpuMicros(Process server) throws Exception {
    long cpu0 = LocalProcesses.cpuTicks(server);
    Thread.sleep(s.interval().toMillis() * s.publications());
    return (LocalProcesses.cpuTicks(server) - cpu0) * 1e6 / CLOCK_TICKS_PER_SECOND;
  }

  /**
   * One client run against {@code server}; the row is refused (kept with its reason) unless every
   * delivery happened and the agent ended no watch.
   */
  private Row measure(
      String name,
      Process server,
      int port,
      String token,
      int streams,
      CpuPinning pins,
      AgentCodes codes)
      throws Exception {
    List<String> cmd =
        pins.generatorJava(
            WatchFanoutClient.class,
            List.of(
                "127.0.0.1",
                Integer.toString(port),
                token,
                Integer.toString(streams),
                Integer.toString(Math.min(s.connections(), streams)),
                Integer.toString(s.publications()),
                Long.toString(s.maxSeconds())));
    Map<String, Long> before = codes == null ? Map.of() : codes.read();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder output = new StringBuilder();
    String row = name + " with " + streams + " streams";
    try (var out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        var in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith(WatchFanoutClient.READY)) {
        output.append(line).append('\n');
      }
      if (line == null || !line.contains(" 0 failed")) {
        return refused(name, streams, "the streams did not open: " + line, output);
      }
      long cpu0 = LocalProcesses.cpuTicks(server);
      in.println("go");
      while ((line = out.readLine()) != null) {
        output.append(line).append('\n');
        if (line.startsWith(WatchFanoutClient.RESULT)) {
          break;
        }
      }
      long cpu = LocalProcesses.cpuTicks(server) - cpu0;
      if (line == null) {
        return refused(name, streams, "the client ended without a result", output);
      }
      WatchFanoutClient.Outcome o = WatchFanoutClient.parse(output.toString());
      WatchFanoutClient.Result r = o.result();
      double serverCpu = cpu * 1e6 / CLOCK_TICKS_PER_SECOND;
      // Printed as measured, so a run stopped at a later row still shows the earlier ones.
      System.out.printf(
          Locale.ROOT,
          "WatchStatus fan-out, %s: %d of %d delivered in %.1f s, p50 %.2f ms, p99 %.2f ms, server"
              + " CPU %.2f µs/msg, client CPU %.2f µs/msg%n",
          row,
          r.delivered(),
          (long) streams * s.publications(),
          r.seconds(),
          r.p50Micros() / 1000,
          r.p99Micros() / 1000,
          serverCpu / Math.max(1, r.delivered()),
          o.clientCpuMicros() / Math.max(1, r.delivered()));
      List<String> reasons = new ArrayList<>();
      if (r.missing() != 0 || r.duplicates() != 0 || r.failedStreams() != 0) {
        reasons.add(
            String.format(
                Locale.ROOT,
                "%d of %d deliveries missing, %d duplicated, %d streams failed",
                r.missing(),
                (long) streams * s.publications(),
                r.duplicates(),
                r.failedStreams()));
        output
            .toString()
            .lines()
            .filter(l -> l.contains("streams incomplete"))
            .findFirst()
            .ifPresent(l -> reasons.add(l.length() > 200 ? l.substring(0, 200) + " …" : l));
      }
      if (codes != null) {
        // A watch the client cancels never reaches the metrics (the agent does not close it), so
        // anything counted here is a watch the agent ended: an error, or an end it should not make.
        Map<String, Long> ended = AgentCodes.delta(before, codes.read());
        ended.remove("CANCELLED");
        if (!ended.isEmpty()) {
          reasons.add("the agent ended watches with " + ended);
        }
      }
      String refusal = reasons.isEmpty() ? null : String.join("; ", reasons);
      if (refusal != null) {
        System.out.println("REFUSED: WatchStatus fan-out, " + row + ": " + refusal);
      }
      return new Row(name, streams, r, serverCpu, o.clientCpuMicros(), refusal);
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Row refused(String server, int streams, String reason, StringBuilder output) {
    System.out.println(
        "REFUSED: WatchStatus fan-out, "
            + server
            + " with "
            + streams
            + " streams: "
            + reason
            + "\n"
            + output);
    return new Row(server, streams, null, 0, 0, reason);
  }

  /** The summary table: each stream count's bare and agent rows side by side, with ratios. */
  String summary(Outcome o, CpuPinning pins) {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "| WatchStatus fan-out, %d reports %d ms apart | bare p50 / p99 / p99.9 ms | agent p50"
                + " / p99 / p99.9 ms | p99 agent / bare | bare CPU µs/msg | agent CPU µs/msg |"
                + " CPU agent / bare | CPU µs per received msg (bare, agent), agent / bare |"
                + " revisions/s (bare, agent) | client CPU µs/msg, busy (bare, agent) |%n",
            s.publications(),
            s.interval().toMillis()));
    t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i + 1 < o.rows().size(); i += 2) {
      Row bare = o.rows().get(i);
      Row agent = o.rows().get(i + 1);
      String streams =
          String.format(
              Locale.ROOT,
              "%d streams over %d connections",
              bare.streams(),
              Math.min(s.connections(), bare.streams()));
      if (!bare.accepted() || !agent.accepted()) {
        t.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | REFUSED | %s | %s | REFUSED | %s | %s | %s |%n",
                streams,
                bare.result() == null ? "–" : latencies(bare.result()),
                agent.result() == null ? "–" : latencies(agent.result()),
                cpuPerMessage(bare),
                cpuPerMessage(agent),
                perReceived(bare, agent),
                revisionRates(bare, agent),
                String.join(
                    "; ",
                    java.util.stream.Stream.of(bare, agent)
                        .filter(r -> !r.accepted())
                        .map(r -> "**REFUSED** (" + r.server() + "): " + cell(r.refused()))
                        .toList())));
        continue;
      }
      t.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %s | %s | %.2f, %.2f; %.0f %%, %.0f %%"
                  + " |%n",
              streams,
              latencies(bare.result()),
              latencies(agent.result()),
              agent.result().p99Micros() / bare.result().p99Micros(),
              bare.serverCpuPerMessage(),
              agent.serverCpuPerMessage(),
              agent.serverCpuPerMessage() / bare.serverCpuPerMessage(),
              perReceived(bare, agent),
              revisionRates(bare, agent),
              bare.clientCpuPerMessage(),
              agent.clientCpuPerMessage(),
              100 * bare.clientBusy(),
              100 * agent.clientBusy()));
    }
    t.append(
        String.format(
            Locale.ROOT,
            "%nEvery row checked: each stream must receive each of the %d measured reports exactly"
                + " once, and the agent's per-code counters must show no WatchStatus call it"
                + " ended; %s (%s). Report %d bytes. With no stream open, over one window of the"
                + " same length, the agent used %.1f ms of CPU (its collector and timers: %.0f µs"
                + " per publication) and the bare server %.1f ms; both are in the per-message"
                + " figures. %s. Load average (1, 5, 15 min) before / after: %s / %s on %d"
                + " CPUs.%n",
            s.publications(),
            o.refusals().isEmpty()
                ? "every row passed"
                : o.refusals().size() + " row(s) refused, shown as REFUSED with the reason",
            "deliveries: "
                + String.join(
                    ", ",
                    o.rows().stream()
                        .map(
                            r ->
                                r.server()
                                    + " "
                                    + r.streams()
                                    + " streams "
                                    + (r.result() == null ? "none" : r.result().delivered())
                                    + (r.accepted() ? "" : " (refused)"))
                        .toList()),
            o.reportBytes(),
            o.agentIdleMicros() / 1000,
            o.agentIdleMicros() / s.publications(),
            o.bareIdleMicros() / 1000,
            pins.describe(),
            o.loadBefore(),
            o.loadAfter(),
            Runtime.getRuntime().availableProcessors()));
    return t.toString();
  }

  private static String perReceived(Row bare, Row agent) {
    if (bare.result() == null || agent.result() == null) {
      return "–";
    }
    return String.format(
        Locale.ROOT,
        "%.2f, %.2f; %.2f",
        bare.serverCpuPerReceived(),
        agent.serverCpuPerReceived(),
        agent.serverCpuPerReceived() / bare.serverCpuPerReceived());
  }

  private static String revisionRates(Row bare, Row agent) {
    if (bare.result() == null || agent.result() == null) {
      return "–";
    }
    return String.format(
        Locale.ROOT, "%.1f, %.1f", bare.revisionsPerSecond(), agent.revisionsPerSecond());
  }

  private static String cpuPerMessage(Row r) {
    return r.result() == null || r.result().delivered() == 0
        ? "–"
        : String.format(Locale.ROOT, "%.2f", r.serverCpuPerMessage());
  }

  /** Text safe inside one markdown table cell. */
  private static String cell(String text) {
    return text.replace("|", "/").replace("\n", " ");
  }

  /** Every row in the benchmarks' common table: deliveries counted as requests. */
  List<LoadResult> results(Outcome o) {
    return o.rows().stream()
        .map(
            r -> {
              String scenario =
                  "WatchStatus fan-out, "
                      + r.streams()
                      + " streams, deliveries"
                      + (r.accepted() ? "" : " — REFUSED: " + cell(r.refused()));
              WatchFanoutClient.Result m = r.result();
              return m == null
                  ? new LoadResult(scenario, r.server(), 0, 0, 0, 0, 0, 0, 0, 0)
                  : new LoadResult(
                          scenario,
                          r.server(),
                          m.delivered(),
                          m.missing(),
                          m.seconds(),
                          m.p50Micros(),
                          m.p99Micros(),
                          m.p999Micros(),
                          m.maxMicros(),
                          0)
                      .withServerCpu(r.serverCpuMicros());
            })
        .toList();
  }

  private static String latencies(WatchFanoutClient.Result r) {
    return String.format(
        Locale.ROOT,
        "%.2f / %.2f / %.2f",
        r.p50Micros() / 1000,
        r.p99Micros() / 1000,
        r.p999Micros() / 1000);
  }
}
