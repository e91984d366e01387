package org.debvisor.sim;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.debvisor.common.pem.Pem;
import org.debvisor.common.pem.PemException;

/**
 * N simulated agents in this JVM against a real controller. {@link #start} binds every agent's
 * server, then enrols them in the background ({@link #awaitEnrolment} waits); each then heartbeats
 * and serves debvisor.Node over mutual TLS until {@link #close}.
 */
public final class SimFleet implements AutoCloseable {

  private final SimSettings settings;
  private final SimRuntime runtime;
  private final List<SimAgent> agents;
  private final ManagedChannel enrolment;
  private final ExecutorService enrolling;
  private final List<Future<?>> pending = new ArrayList<>();

  private SimFleet(
      SimSettings settings, SimRuntime runtime, List<SimAgent> agents, ManagedChannel enrolment) {
    this.settings = settings;
    this.runtime = runtime;
    this.agents = List.copyOf(agents);
    this.enrolment = enrolment;
    this.enrolling = Executors.newFixedThreadPool(settings.enrolConcurrency(), daemon());
  }

  /**
   * Binds every agent's server and starts enrolling them.
   *
   * @param tokens one bootstrap token per agent
   * @param events every agent state change (called from the fleet's threads; keep it quick)
   * @throws IOException when the CA file is unusable or a server cannot bind; nothing is left
   *     running then
   */
  public static SimFleet start(SimSettings settings, TokenSource tokens, Consumer<SimEvent> events)
      throws IOException {
    List<X509Certificate> pinned = pinnedCa(settings);
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    SimRuntime runtime =
        new SimRuntime(threads, Clock.systemUTC(), events == null ? e -> {} : events);
    ManagedChannel channel = null;
    List<SimAgent> agents = new ArrayList<>();
    try {
      channel =
          NettyChannelBuilder.forAddress(settings.controllerHost(), settings.controllerPort())
              .eventLoopGroup(runtime.workers)
              .channelType(NioSocketChannel.class)
              .executor(runtime.executor)
              .sslContext(
                  GrpcSslContexts.forClient()
                      .trustManager(pinned.toArray(X509Certificate[]::new))
                      .build())
              .build();
      List<AgentFaults> faults = spread(settings);
      for (int i = 0; i < settings.agents(); i++) {
        SimAgent agent =
            new SimAgent(
                i,
                settings.nodeId(i),
                settings.listenHost(),
                settings.osdIds(i),
                faults.get(i),
                runtime);
        agents.add(agent);
        for (int osd : agent.osdIds()) {
          runtime.osdHosts.put(osd, agent);
        }
        agent.bind();
      }
    } catch (IOException e) {
      abandon(agents, channel, runtime);
      throw new IOException("cannot start the simulated agents: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      abandon(agents, channel, runtime);
      throw e;
    }
    SimFleet fleet = new SimFleet(settings, runtime, agents, channel);
    fleet.enrolAll(tokens);
    return fleet;
  }

  private static void abandon(List<SimAgent> agents, ManagedChannel channel, SimRuntime runtime) {
    agents.forEach(SimAgent::close);
    if (channel != null) {
      channel.shutdownNow();
    }
    runtime.close();
  }

  /**
   * Waits until every agent finished enrolling (serving or failed).
   *
   * @return true when all agents serve
   */
  public boolean awaitEnrolment(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    for (Future<?> f : pending) {
      try {
        f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (java.util.concurrent.ExecutionException
          | java.util.concurrent.CancellationException e) {
        // The agent is marked FAILED with the reason.
      }
    }
    return agents.stream().allMatch(a -> a.state() == AgentState.SERVING);
  }

  public List<SimAgent> agents() {
    return agents;
  }

  /** The agent at {@code index}, from 0 (its node id ends in index + 1). */
  public SimAgent agent(int index) {
    return agents.get(index);
  }

  public SimSettings settings() {
    return settings;
  }

  public SimSummary summary() {
    Map<AgentState, Integer> byState = new EnumMap<>(AgentState.class);
    for (SimAgent a : agents) {
      byState.merge(a.state(), 1, Integer::sum);
    }
    SimCounters c = runtime.counters;
    return new SimSummary(
        agents.size(),
        byState,
        c.applied.get(),
        c.unchanged.get(),
        c.rolledBack.get(),
        c.conflicts.get(),
        c.dropped.get(),
        c.died.get(),
        c.heartbeats.get(),
        c.heartbeatFailures.get());
  }

  @Override
  public void close() {
    enrolling.shutdownNow();
    try {
      enrolling.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    agents.forEach(SimAgent::close);
    enrolment.shutdownNow();
    runtime.close();
  }

  private void enrolAll(TokenSource tokens) {
    SimEnroller enroller = new SimEnroller(enrolment);
    for (SimAgent agent : agents) {
      pending.add(enrolling.submit(() -> enrolOne(enroller, tokens, agent)));
    }
    enrolling.shutdown();
  }

  private void enrolOne(SimEnroller enroller, TokenSource tokens, SimAgent agent) {
    try {
      String token = tokens.tokenFor(agent.hostname());
      SimEnroller.Enrolment result = enroller.enrol(agent, token);
      agent.tls().update(result.credentials());
      Duration interval = settings.heartbeatInterval();
      if (interval == null) {
        interval =
            result.heartbeatInterval() != null
                ? result.heartbeatInterval()
                : SimSettings.DEFAULT_HEARTBEAT;
      }
      agent.enrolled(settings.controllerHost(), settings.controllerPort(), interval);
    } catch (StatusRuntimeException e) {
      agent.failed("enrolment refused: " + e.getStatus().getCode() + ": " + describe(e));
    } catch (IOException | RuntimeException e) {
      agent.failed("enrolment failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String describe(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    return d == null ? String.valueOf(e.getStatus().getCause()) : d;
  }

  /** Which agents get which faults: exact counts, chosen by the seed. */
  static List<AgentFaults> spread(SimSettings settings) {
    int n = settings.agents();
    FaultSettings f = settings.faults();
    boolean[] gate = choose(n, f.gateFailFraction(), new Random(settings.seed()));
    boolean[] die = choose(n, f.dieMidApplyFraction(), new Random(settings.seed() * 31 + 7));
    boolean[] busy = choose(n, f.notOkToStopFraction(), new Random(settings.seed() * 31 + 11));
    List<AgentFaults> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          new AgentFaults(
              gate[i], f.applyDelayMin(), f.applyDelayMax(), f.dropFraction(), die[i], busy[i]));
    }
    return out;
  }

  private static boolean[] choose(int n, double fraction, Random random) {
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    boolean[] chosen = new boolean[n];
    long count = Math.round(fraction * n);
    for (int i = 0; i < count; i++) {
      chosen[order.get(i)] = true;
    }
    return chosen;
  }

  private static List<X509Certificate> pinnedCa(SimSettings settings) throws IOException {
    if (!Files.isReadable(settings.caFile())) {
      throw new IOException(
          "CA file "
              + settings.caFile()
              + " is not readable; pass --ca-file (the controller's <stateDir>/pki/ca.pem)");
    }
    try {
      return Pem.certificates(Files.readString(settings.caFile(), StandardCharsets.US_ASCII));
    } catch (PemException e) {
      throw new IOException("cannot use CA file " + settings.caFile() + ": " + e.getMessage(), e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "sim-enrol");
      t.setDaemon(true);
      return t;
    };
  }
}
