package org.debvisor.agent;

import io.grpc.BindableService;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.debvisor.agent.collect.Collector;
import org.debvisor.agent.collect.CollectorRunner;
import org.debvisor.agent.collect.ceph.CephOkToStop;
import org.debvisor.agent.config.ConfigStore;
import org.debvisor.agent.config.ConfigUpdater;
import org.debvisor.agent.config.HealthGateRunner;
import org.debvisor.agent.config.NodeAccounts;
import org.debvisor.agent.config.ServiceReloader;
import org.debvisor.agent.enrol.AdvertisedAddress;
import org.debvisor.agent.enrol.ControllerLink;
import org.debvisor.agent.enrol.LinkOptions;
import org.debvisor.agent.enrol.NodeDescription;
import org.debvisor.agent.metrics.AgentMetrics;
import org.debvisor.agent.report.StatusBoard;
import org.debvisor.agent.server.AgentGrpcServer;
import org.debvisor.agent.server.NodeService;
import org.debvisor.agent.server.ReportReplies;
import org.debvisor.agent.server.ServerInterceptors;
import org.debvisor.agent.settings.ListenAddress;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.bundle.BundleValidator;
import org.debvisor.common.http.OpsHttpServer;
import org.debvisor.common.http.OpsRoutes;
import org.debvisor.common.net.ListenFailure;
import org.debvisor.common.process.ProcessRunner;
import org.debvisor.common.tls.NodeTls;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.Subsystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the running agent: collectors feed the status board; gRPC and HTTP serve from it. */
public final class Agent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final AgentSettings settings;
  private final AgentMetrics metrics = new AgentMetrics();
  private final ScheduledExecutorService timer =
      Executors.newScheduledThreadPool(1, daemon("agent-timer"));
  private final StatusBoard board;
  private final List<CollectorRunner> runners = new ArrayList<>();
  private final AgentGrpcServer grpc;
  private final ConfigUpdater updater;
  private final ExecutorService configExecutor =
      Executors.newSingleThreadExecutor(daemon("config-update"));
  // Ceph questions (ok-to-stop) block in librados: one at a time, off the event loop.
  private final ExecutorService cephExecutor =
      Executors.newSingleThreadExecutor(daemon("ceph-ok-to-stop"));
  private final ControllerLink link;
  private final LinkOptions linkOptions;
  private OpsHttpServer http;
  private volatile boolean serving;

  /**
   * Builds (but does not start) an agent.
   *
   * @throws IOException when the configuration state directory cannot be opened
   */
  public Agent(
      AgentSettings settings, NodeIdentity identity, List<Collector> collectors, Clock clock)
      throws IOException {
    this(settings, identity, collectors, clock, LinkOptions.production());
  }

  /**
   * Builds an agent whose controller link (used when controller.address is set) reads facts and
   * waits as {@code linkOptions} say.
   */
  public Agent(
      AgentSettings settings,
      NodeIdentity identity,
      List<Collector> collectors,
      Clock clock,
      LinkOptions linkOptions)
      throws IOException {
    this.settings = settings;
    this.linkOptions = linkOptions;
    List<Subsystem> order = collectors.stream().map(Collector::subsystem).sorted().toList();
    this.board = new StatusBoard(identity, order, clock);
    metrics.watch(board, order);
    for (Collector collector : collectors) {
      runners.add(new CollectorRunner(collector, timer, board::publish, clock, metrics.registry()));
    }
    ConfigStore store = new ConfigStore(settings.config(), clock);
    ProcessRunner processes = new ProcessRunner();
    this.updater =
        new ConfigUpdater(
            new BundleValidator(settings.config(), new NodeAccounts()),
            store,
            new ServiceReloader(settings.config(), processes),
            new HealthGateRunner(board, settings.config(), processes),
            board,
            metrics.registry());
    List<BindableService> services =
        List.of(
            ReportReplies.serialisedOnce(
                new NodeService(
                    board,
                    timer,
                    settings.grpc().watchHeartbeat(),
                    updater,
                    store,
                    configExecutor,
                    new CephStopCheck(new CephOkToStop(settings.collectors().ceph())),
                    cephExecutor)));
    NodeTls nodeTls = settings.controller().enabled() ? new NodeTls() : null;
    this.grpc =
        new AgentGrpcServer(
            settings.grpc(),
            services,
            ServerInterceptors.forAgent(settings, metrics.registry()),
            nodeTls);
    this.link =
        nodeTls == null
            ? null
            : new ControllerLink(
                settings.controller(),
                new NodeDescription(
                    identity.getNodeId(),
                    identity.getHostname(),
                    settings.controller().profile(),
                    AdvertisedAddress.of(
                        settings.controller().advertiseAddress(),
                        settings.grpc().listen(),
                        identity.getHostname()),
                    identity.getAgentVersion()),
                nodeTls,
                board::current,
                linkOptions.facts(),
                metrics.registry(),
                clock,
                linkOptions.random(),
                linkOptions.sleeper());
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts collecting, then serving; on failure everything started so far is stopped. */
  public void start() throws IOException {
    try {
      // Before serving: an apply a crash interrupted is finished or undone first.
      recoverConfig();
      runners.forEach(CollectorRunner::start);
      if (settings.http().enabled()) {
        http = startHttp(ListenAddress.parse(settings.http().listen()));
      }
      if (link != null) {
        // A certificate from an earlier enrolment is served from the start.
        link.loadStored();
      }
      grpc.start();
      if (link != null && linkOptions.background()) {
        // Enrolment and heartbeats never hold up serving: they run on their own thread.
        link.start();
      }
      serving = true;
      log.info("agent started; node {}", board.current().getNode().getNodeId());
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void recoverConfig() throws IOException {
    try {
      updater.recover();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reloading services after a recovery");
    }
  }

  private OpsHttpServer startHttp(ListenAddress listen) throws IOException {
    try {
      return OpsHttpServer.start(
          listen.resolve(), OpsRoutes.standard(metrics::scrape, this::notReadyReason));
    } catch (IOException e) {
      throw ListenFailure.of("metrics and health over HTTP", listen.toString(), "http.listen", e);
    }
  }

  private String notReadyReason() {
    if (!serving) {
      return "gRPC server not started";
    }
    return board.allCollectedOnce() ? "" : "waiting for the first reading of every subsystem";
  }

  /** The status board (for tests and in-process tools). */
  public StatusBoard board() {
    return board;
  }

  /** Addresses the gRPC server is bound to. */
  public List<InetSocketAddress> grpcAddresses() {
    return grpc.boundAddresses();
  }

  /** Address of the operations HTTP endpoint, when enabled. */
  public Optional<InetSocketAddress> httpAddress() {
    return Optional.ofNullable(http).map(OpsHttpServer::address);
  }

  /** The link to the controller, when controller.address is set. */
  public Optional<ControllerLink> controllerLink() {
    return Optional.ofNullable(link);
  }

  @Override
  public void close() {
    serving = false;
    if (link != null) {
      link.close();
    }
    grpc.close();
    configExecutor.shutdown();
    cephExecutor.shutdown();
    if (http != null) {
      http.close();
    }
    runners.forEach(CollectorRunner::close);
    timer.shutdownNow();
    metrics.close();
  }
}
