package org.debvisor.controller.cli;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.sim.AgentState;
import org.debvisor.sim.FaultSettings;
import org.debvisor.sim.FaultText;
import org.debvisor.sim.SimFleet;
import org.debvisor.sim.SimSettings;
import org.debvisor.sim.SimSummary;
import org.debvisor.sim.TokenSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code debvisor sim}: a simulated fleet beside a running controller, each agent enrolled with a
 * token this command creates with the operator's credential.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
      "Run N simulated agents in this process against a running controller: each enrols through "
          + "RegisterNode with its own key and a bootstrap token created here with the operator token, "
          + "heartbeats, and serves debvisor.Node over mutual TLS on its own loopback port. Faults can "
          + "be injected. Prints a summary line whenever the fleet's state changes and a final one; "
          + "runs until Ctrl-C or for --duration once all agents enrolled."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ran to the end",
      "1:the controller is unreachable, or an agent could not start or enrol",
      "2:invalid input"
    })
final class SimCommand implements java.util.concurrent.Callable<Integer> {

  private static final Duration TOKEN_TTL = Duration.ofHours(1);
  private static final long SUMMARY_PERIOD_MS = 1000;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--agents",
      paramLabel = "N",
      required = true,
      description = "How many agents, 1 to " + SimSettings.MAX_AGENTS + ".")
  int agents;

  @Option(
      names = "--name-prefix",
      paramLabel = "PREFIX",
      description = "Node ids are PREFIX-0001, PREFIX-0002, ... (default: sim- and 4 random hex).")
  String namePrefix;

  @Option(
      names = "--cluster",
      paramLabel = "NAME",
      description = "Cluster the agents join (default: default).")
  String cluster = "";

  @Option(
      names = "--listen",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Address the agents' servers bind (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--heartbeat-interval",
      paramLabel = "DURATION",
      description = "Time between heartbeats, e.g. 5s (default: what the controller says).")
  String heartbeatInterval;

  @Option(
      names = "--gate-fail",
      paramLabel = "SHARE",
      defaultValue = "0",
      description = "Share of agents whose health gate fails, e.g. 5% (default: none).")
  String gateFail;

  @Option(
      names = "--apply-delay",
      paramLabel = "DELAY",
      defaultValue = "0ms",
      description = "Time an UpdateConfig takes: 200ms, or a random range like 100ms..2s.")
  String applyDelay;

  @Option(
      names = "--drop",
      paramLabel = "SHARE",
      defaultValue = "0",
      description = "Share of calls to agents answered UNAVAILABLE, e.g. 1% (default: none).")
  String drop;

  @Option(
      names = "--die-mid-apply",
      paramLabel = "SHARE",
      defaultValue = "0",
      description = "Share of agents whose server stops during their next UpdateConfig.")
  String dieMidApply;

  @Option(
      names = "--ceph-osds",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Ceph OSDs each agent reports hosting and answers `osd ok-to-stop` for (default: none,"
              + " no Ceph).")
  int cephOsds;

  @Option(
      names = "--not-ok-to-stop",
      paramLabel = "SHARE",
      defaultValue = "0",
      description =
          "Share of agents whose OSDs Ceph says must not stop, e.g. 5% (needs --ceph-osds).")
  String notOkToStop;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description = "Chooses which agents get the faults (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--enrol-concurrency",
      paramLabel = "N",
      defaultValue = "4",
      description = "Agents enrolling at the same time (default: ${DEFAULT-VALUE}).")
  int enrolConcurrency;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      description =
          "Stop this long after every agent finished enrolling, e.g. 10m (default: until Ctrl-C).")
  String duration;

  @Mixin ControllerClientOptions client;

  private final Map<String, String> env;

  SimCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SimSettings settings;
    Duration runFor;
    ControllerConnection.HostPort target;
    try {
      target = ControllerConnection.HostPort.parse(client.target(env));
      settings = settings(target);
      runFor = duration == null ? null : DurationOption.parse("--duration", duration);
    } catch (IllegalArgumentException | IOException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    try (ControllerConnection connection = client.connect(env)) {
      TokenSource tokens = hostname -> createToken(connection, hostname);
      SimFleet fleet =
          SimFleet.start(
              settings,
              tokens,
              e -> {
                // Per-agent lines only for what needs attention; the rest is in the summary.
                if (e.state() == AgentState.FAILED || e.state() == AgentState.DEAD) {
                  synchronized (out) {
                    out.println(e.at() + " " + e.nodeId() + " " + e.state() + ": " + e.detail());
                    out.flush();
                  }
                }
              });
      out.println(
          "simulating "
              + settings.agents()
              + " agents "
              + settings.nodeId(0)
              + ".."
              + settings.nodeId(settings.agents() - 1)
              + " against "
              + connection.target());
      out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      CountDownLatch finished = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                stopped.countDown();
                try {
                  finished.await(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "sim-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      int failed;
      try {
        watch(fleet, stopped, runFor, out);
      } finally {
        // The fleet as it ran, before closing marks every agent stopped.
        SimSummary last = fleet.summary();
        fleet.close();
        out.println("final: " + last.line());
        out.flush();
        finished.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the hook is running and waits for this summary.
        }
        failed = last.count(AgentState.FAILED);
      }
      if (failed > 0) {
        err.println(
            "error: "
                + failed
                + " of "
                + settings.agents()
                + " agents could not enrol; their reasons are printed above");
        return DebvisorCli.EXIT_FAILURE;
      }
      return 0;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    }
  }

  /**
   * Prints the summary whenever it changed, until Ctrl-C or until {@code runFor} has passed since
   * every agent finished enrolling.
   */
  private static void watch(
      SimFleet fleet, CountDownLatch stopped, Duration runFor, PrintWriter out)
      throws InterruptedException {
    long end = Long.MAX_VALUE;
    String last = "";
    while (System.nanoTime() < end) {
      SimSummary summary = fleet.summary();
      String line = stateLine(summary);
      if (!line.equals(last)) {
        synchronized (out) {
          out.println(java.time.Instant.now() + " " + summary.line());
          out.flush();
        }
        last = line;
      }
      if (runFor != null && end == Long.MAX_VALUE && summary.count(AgentState.ENROLLING) == 0) {
        end = System.nanoTime() + runFor.toNanos();
      }
      long wait = Math.min(SUMMARY_PERIOD_MS, Math.max(0, end - System.nanoTime()) / 1_000_000);
      if (stopped.await(Math.max(1, wait), TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  /** The part of the summary whose change is worth a line: heartbeat counts change constantly. */
  private static String stateLine(SimSummary s) {
    return s.byState()
        + " "
        + s.applied()
        + "/"
        + s.unchanged()
        + "/"
        + s.rolledBack()
        + "/"
        + s.conflicts()
        + "/"
        + s.died();
  }

  private SimSettings settings(ControllerConnection.HostPort target) {
    String prefix =
        namePrefix != null
            ? namePrefix
            : "sim-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    java.time.Duration[] delay = FaultText.delay("--apply-delay", applyDelay);
    FaultSettings faults =
        new FaultSettings(
            FaultText.fraction("--gate-fail", gateFail),
            delay[0],
            delay[1],
            FaultText.fraction("--drop", drop),
            FaultText.fraction("--die-mid-apply", dieMidApply),
            FaultText.fraction("--not-ok-to-stop", notOkToStop));
    SimSettings settings =
        SimSettings.of(target.host(), target.port(), client.caFile(env), agents, prefix)
            .withListenHost(listen)
            .withEnrolConcurrency(enrolConcurrency)
            .withSeed(seed)
            .withFaults(faults)
            .withOsdsPerAgent(cephOsds);
    if (heartbeatInterval != null) {
      settings =
          settings.withHeartbeatInterval(
              DurationOption.parse("--heartbeat-interval", heartbeatInterval));
    }
    return settings;
  }

  private String createToken(ControllerConnection connection, String hostname) throws IOException {
    try {
      return connection
          .controller(client.timeoutSeconds())
          .createBootstrapToken(
              CreateBootstrapTokenRequest.newBuilder()
                  .setTtl(
                      com.google.protobuf.Duration.newBuilder().setSeconds(TOKEN_TTL.getSeconds()))
                  .setHostname(hostname)
                  .setCluster(cluster)
                  .build())
          .getToken();
    } catch (StatusRuntimeException e) {
      throw new IOException(
          "the controller at "
              + connection.target()
              + " refused a bootstrap token: "
              + e.getStatus().getCode()
              + (e.getStatus().getDescription() == null
                  ? ""
                  : " (" + e.getStatus().getDescription() + ")")
              + "; check the operator token (--token-file)",
          e);
    }
  }
}
