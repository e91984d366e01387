package org.debvisor.bench;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench/grpc-run}: the agent's Status under h2load beside a bare grpc-java server, and the
 * agent's footprint beside a tuned bare server; writes {@code docs/grpc-benchmarks.md} and its
 * summary into benchmarks.md. Run inside the network namespace the script creates.
 */
@Command(name = "grpc-bench", mixinStandardHelpOptions = true)
public final class GrpcBenchmark implements Callable<Integer> {

  @Option(names = "--agent-jar", required = true)
  Path agentJar;

  @Option(
      names = "--controller-jar",
      description = "The controller's shaded jar: adds its RSS rows (left out when not given).")
  Path controllerJar;

  @Option(
      names = "--agent-defaults",
      defaultValue = "agent/src/deb/etc/debvisor-agent",
      description = "The .deb's /etc/default file: the agent's JVM flags and environment.")
  Path agentDefaults;

  @Option(
      names = "--starts",
      defaultValue = "5",
      description = "Timed starts per start-up row (median reported).")
  int starts;

  @Option(names = "--hypervisor-uri", defaultValue = "test:///default")
  String hypervisorUri;

  @Option(
      names = "--address",
      required = true,
      description = "A non-loopback address of this namespace for the TLS rows.")
  String address;

  @Option(names = "--out", defaultValue = "docs/grpc-benchmarks.md")
  Path out;

  @Option(names = "--connections", defaultValue = "8")
  int connections;

  @Option(names = "--streams", defaultValue = "16", description = "Streams per connection.")
  int streams;

  @Option(names = "--requests", defaultValue = "200000", description = "Requests per row.")
  long requests;

  @Option(names = "--warmup", defaultValue = "50000", description = "Warm-up calls per server.")
  long warmup;

  @Option(names = "--h2load", defaultValue = "/usr/bin/h2load")
  Path h2load;

  @Option(names = "--h2load-threads", defaultValue = "1")
  int h2loadThreads;

  @Option(names = "--max-seconds", defaultValue = "300", description = "Time limit of each run.")
  int maxSeconds;

  @Option(names = "--command", defaultValue = "bench/grpc-run")
  String command;

  @Option(
      names = "--watch-streams",
      split = ",",
      defaultValue = "100,1000",
      description = "WatchStatus fan-out rows: concurrent streams, one row each.")
  List<Integer> watchStreams;

  @Option(
      names = "--watch-reports",
      defaultValue = "100",
      description = "Reports each fan-out row measures (every stream must receive each).")
  int watchReports;

  @Option(
      names = "--watch-interval-ms",
      defaultValue = "100",
      description = "How often the agent's system collector (and the bare server) publishes.")
  long watchIntervalMillis;

  @Option(
      names = "--watch-only",
      description =
          "Only the WatchStatus fan-out rows (a development run; the page has no others).")
  boolean watchOnly;

  @Option(
      names = "--status-only",
      description =
          "Only the Status rows over plaintext and TLS and the agent's RSS beside the tuned bare"
              + " server (a development run: printed, no page written).")
  boolean statusOnly;

  private String watchDescription() {
    return "WatchStatus fan-out: N concurrent WatchStatus streams on loopback (plaintext, bearer"
        + " token), spread over at most "
        + connections
        + " connections, each receiving every report the agent publishes. The agent's system"
        + " collector runs every "
        + watchIntervalMillis
        + " ms (`collectors.system.interval`); its reading changes every time (uptime), so each"
        + " collection publishes a new report revision to every stream. The streams ask for a 1 h"
        + " heartbeat, so only published reports arrive. **bare** is a bare grpc-java"
        + " server-streaming server with `directExecutor()` (BareWatchServer, the agent's JVM"
        + " flags) that every "
        + watchIntervalMillis
        + " ms stamps the agent's report with a new revision and the time, serialises it once and"
        + " pushes the bytes to every open stream from one timer thread. Each row measures "
        + watchReports
        + " reports, starting "
        + WatchFanoutClient.SETTLE_REVISIONS
        + " revisions after the streams are open (the backlog of opening them drains first):"
        + " latency is the client's receipt time minus the"
        + " report's `generated_at` (stamped at publication; same machine clock), server CPU per"
        + " message is the server's /proc/PID/stat utime+stime over the window (10 ms ticks)"
        + " divided by the deliveries in the window, and also by every report the client received"
        + " meanwhile (the agent's revision moves faster than the bare server's when a 100 ms"
        + " collection times out under load: the timeout's UNKNOWN reading is a revision too;"
        + " revisions/s shows both rates). A row is refused unless every stream received every"
        + " measured report exactly once and the agent's per-code counters show no WatchStatus"
        + " it ended (a watch the client cancels is not counted by them); a refused row is"
        + " shown as REFUSED with its reason, the other rows still run, and the run exits 1."
        + " The agent coalesces a stream whose transport is not ready (more than 32 KiB"
        + " queued) to the newest report, so a client that falls that far behind misses"
        + " revisions and its row is refused; the bare server queues without bound instead,"
        + " which its latency shows. The client is the"
        + " bench's own (WatchFanoutClient: grpc-java, Netty with one event-loop thread, reading"
        + " only each report's revision and generated_at, in a"
        + " JVM pinned by taskset to the last CPU, the servers to the others; h2load cannot"
        + " consume server streams); its CPU per message and busy share are printed as its"
        + " ceiling.";
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new GrpcBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("debvisor-grpc-bench");
    PackagedJvm agentJvm = PackagedJvm.read(agentDefaults);
    WatchFanoutBench watch =
        new WatchFanoutBench(
            work,
            new BenchAgent(work, agentJar, agentJvm, hypervisorUri, address),
            agentJvm,
            address,
            new WatchFanoutBench.Settings(
                watchStreams,
                connections,
                watchReports,
                Duration.ofMillis(watchIntervalMillis),
                maxSeconds));
    if (watchOnly) {
      WatchFanoutBench.Outcome fanout = watch.run();
      String summary = watch.summary(fanout, CpuPinning.forThisMachine());
      String table = BenchmarkRunner.table(watch.results(fanout));
      System.out.println(table + "\n" + summary);
      Files.writeString(
          out,
          "# WatchStatus fan-out\n\nProduced by `"
              + command
              + "` on "
              + LocalDate.now()
              + ".\n\n"
              + watchDescription()
              + "\n\n"
              + summary
              + "\n"
              + table,
          StandardCharsets.UTF_8);
      System.out.println("wrote " + out);
      return refusedExit(fanout.refusals());
    }
    GrpcH2loadBench.Outcome outcome =
        new GrpcH2loadBench(
                work,
                new GrpcH2loadBench.Settings(
                    agentJar,
                    controllerJar,
                    agentJvm,
                    starts,
                    hypervisorUri,
                    address,
                    connections,
                    streams,
                    requests,
                    warmup,
                    new H2load(h2load, h2loadThreads, Duration.ofSeconds(maxSeconds)),
                    statusOnly))
            .run();
    if (statusOnly) {
      System.out.println(outcome.console());
      return 0;
    }
    WatchFanoutBench.Outcome fanout = watch.run();
    String fanoutSummary = watch.summary(fanout, CpuPinning.forThisMachine());
    String fanoutTable = BenchmarkRunner.table(watch.results(fanout));
    System.out.println(outcome.console());
    System.out.println(fanoutTable + "\n" + fanoutSummary);
    String page =
        "# Agent gRPC under h2load, and its footprint\n\n"
            + "Produced by `"
            + command
            + "` on "
            + LocalDate.now()
            + " ("
            + Runtime.getRuntime().availableProcessors()
            + " cores, host "
            + InetAddress.getLocalHost().getHostName()
            + ", Java "
            + System.getProperty("java.version")
            + "), inside a network namespace the script creates (a veth pair, "
            + address
            + "). h2load (nghttp2-client) sends `debvisor.Node/Status` with an empty request"
            + " frame and a bearer token over HTTP/2, "
            + connections
            + " connections × "
            + streams
            + " streams. Plaintext rows use loopback; TLS rows the namespace's address, where"
            + " the agent serves TLS only. **baseline** is a bare grpc-java server with"
            + " `directExecutor()` like the agent, answering the agent's own report bytes, with"
            + " the agent's JVM flags and environment as the .deb starts it (`"
            + agentJvm.describe()
            + "`, from "
            + agentDefaults
            + "). h2load counts every HTTP 200 as a success and gRPC errors are HTTP 200, so"
            + " each row is checked at the server: the agent's `/metrics` per-code counters"
            + " must have grown by exactly the requests sent, all OK; a bare server must have"
            + " sent one full reply (DATA bytes) per request. The footprint compares the agent"
            + " with a bare server started with tuned flags (`"
            + String.join(" ", GrpcH2loadBench.TUNED_JVM)
            + "`), idle ("
            + GrpcH2loadBench.IDLE_SETTLE.toSeconds()
            + " s after each one's first answer, the same wait for both; the figures at the"
            + " first answer are rows of their own) and after the same kind of load. Start-up: from just before the process starts to"
            + " its first OK Status on loopback (the port polled every 10 ms, then one call), "
            + starts
            + " times each, after the load rows with the other servers stopped; the AppCDS rows"
            + " keep the archive as the .deb's launcher does (`-XX:SharedArchiveFile"
            + " -XX:+AutoCreateSharedArchive`, made when an unmeasured first start exits).\n\n"
            + "Status over mutual TLS: h2load cannot present a client certificate (its options"
            + " have no client certificate or key; nghttp2 issue 1479), so the TLS rows above"
            + " authenticate the caller by bearer token with a server-only TLS listener"
            + " (`grpc.tls` without `clientCaFile`). The mTLS rows use the benchmark's own Java"
            + " generator instead (grpc-java, a controller client certificate, the same"
            + " connections × streams, closed loop, an exact count after a warm-up) in a JVM of its"
            + " own pinned with taskset to the last CPU, the servers to the others, against a"
            + " second agent whose listener requires the client certificate (`clientCaFile`) and"
            + " a bare grpc-java server with the same mTLS setup. A TLS-terminating proxy in"
            + " front of h2load was not used: it would itself be the bottleneck and add its own"
            + " connection to each row. The Java generator's ceiling is the bare server's row:"
            + " that rate is the most this generator reached on one CPU, and its own CPU per call"
            + " is printed beside it.\n\n"
            + "Controller RSS: `debvisor controller serve` with the .deb's JVM options (none),"
            + " idle after start and after "
            + GrpcH2loadBench.CONTROLLER_NODES
            + " RegisterNode enrolments and each of those nodes heartbeating once a second for "
            + GrpcH2loadBench.CONTROLLER_HEARTBEAT_SECONDS
            + " s over mTLS (every call must succeed), beside the tuned bare server of this run"
            + " (the agent's limit).\n\n"
            + watchDescription()
            + "\n\n"
            + OptInSection.START
            + "\n"
            + outcome.summary()
            + "\n"
            + fanoutSummary
            + OptInSection.END
            + "\n\n"
            + outcome.details()
            + "\nWatchStatus fan-out rows (deliveries counted as requests, latency from"
            + " publication to receipt):\n\n"
            + fanoutTable;
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, page, StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
    Path benchmarks = out.toAbsolutePath().getParent().resolve("benchmarks.md");
    if (Files.isRegularFile(benchmarks)) {
      OptInSection.GRPC.updateIn(benchmarks, OptInSection.IMAGE);
      System.out.println("updated " + benchmarks);
    }
    List<String> refusals = new java.util.ArrayList<>(outcome.refusals());
    refusals.addAll(fanout.refusals());
    return refusedExit(refusals);
  }

  /** Exit status 1 when any row was refused (its reason is in the page), after all rows ran. */
  private static int refusedExit(List<String> refusals) {
    if (refusals.isEmpty()) {
      return 0;
    }
    System.out.println(refusals.size() + " row(s) REFUSED:");
    refusals.forEach(r -> System.out.println("  " + r));
    return 1;
  }
}
