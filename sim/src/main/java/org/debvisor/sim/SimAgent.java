package org.debvisor.sim;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.debvisor.agentapi.AuthSettings;
import org.debvisor.common.auth.AuthInterceptor;
import org.debvisor.common.tls.NodeTls;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.HeartbeatResponse;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;

/**
 * One simulated agent: its own key and certificate (held in the same {@link NodeTls} the agent
 * uses), a {@code debvisor.Node} server on its own loopback port that requires a client certificate
 * from the controller's CA and lets only the controller's certificate change the configuration (the
 * agent's {@link AuthInterceptor} with no operator tokens), and heartbeats on the fleet's
 * scheduler.
 */
public final class SimAgent {

  /** Methods that change the node, as in the agent. */
  static final Set<String> CONFIG_CHANGING_METHODS =
      Set.of(NodeGrpc.getUpdateConfigMethod().getFullMethodName());

  private static final long HEARTBEAT_DEADLINE_SECONDS = 15;

  private final int index;
  private final String nodeId;
  private final String hostname;
  private final String listenHost;
  private final List<Integer> osdIds;
  private final SimRuntime runtime;
  private final NodeTls tls = new NodeTls();
  private final SimConfigStore config;
  private final AtomicReference<AgentFaults> faults;
  private final AtomicLong revision = new AtomicLong();

  private volatile AgentState state = AgentState.ENROLLING;
  private volatile int port;
  // Guarded by this.
  private Server server;
  private ManagedChannel controller;
  private ScheduledFuture<?> heartbeats;
  private Duration heartbeatInterval;
  private boolean factsSent;

  SimAgent(
      int index,
      String nodeId,
      String listenHost,
      List<Integer> osdIds,
      AgentFaults faults,
      SimRuntime runtime) {
    this.index = index;
    this.nodeId = nodeId;
    this.hostname = nodeId;
    this.listenHost = listenHost;
    this.osdIds = List.copyOf(osdIds);
    this.runtime = runtime;
    this.config = new SimConfigStore(runtime.clock);
    this.faults = new AtomicReference<>(faults);
  }

  /** Position in the fleet, from 0. */
  public int index() {
    return index;
  }

  public String nodeId() {
    return nodeId;
  }

  public String hostname() {
    return hostname;
  }

  /** {@code host:port} of its debvisor.Node server, as advertised to the controller. */
  public String address() {
    return listenHost + ":" + port;
  }

  /** The Ceph OSDs this node hosts; empty when the fleet simulates no Ceph. */
  public List<Integer> osdIds() {
    return osdIds;
  }

  public AgentState state() {
    return state;
  }

  /** The configuration version now active ("" before the first update). */
  public String activeVersion() {
    return config.current().getVersion();
  }

  public AgentFaults faults() {
    return faults.get();
  }

  /**
   * Replaces this agent's faults; calls already being applied keep the faults they started with.
   */
  public void setFaults(AgentFaults next) {
    faults.set(next);
  }

  /** Stops its server and heartbeats, like a powered-off node. */
  public synchronized void kill() {
    if (state != AgentState.SERVING) {
      return;
    }
    stopServing();
    change(AgentState.DEAD, "killed");
  }

  /** Serves again on the same port and resumes heartbeats, like a node that came back. */
  public synchronized void revive() throws IOException {
    if (state != AgentState.DEAD) {
      return;
    }
    bind();
    change(AgentState.SERVING, "revived on " + address());
    startHeartbeats();
  }

  /** Binds the server on a free loopback port; done before enrolment so the address is known. */
  synchronized void bind() throws IOException {
    SslContext ssl =
        GrpcSslContexts.configure(SslContextBuilder.forServer(tls.keyManager()))
            .trustManager(tls.trustManager())
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    AuthInterceptor auth =
        new AuthInterceptor(
            List.of(), List.of(AuthSettings.DEFAULT_CONTROLLER_NAME), CONFIG_CHANGING_METHODS);
    DropInterceptor drop = new DropInterceptor(() -> faults().dropFraction(), runtime.counters);
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(listenHost, port))
            .bossEventLoopGroup(runtime.boss)
            .workerEventLoopGroup(runtime.workers)
            .channelType(NioServerSocketChannel.class)
            .executor(runtime.executor)
            .sslContext(ssl)
            // Listed innermost first: a dropped call never reaches authentication.
            .addService(ServerInterceptors.intercept(new SimNodeService(this, runtime), auth, drop))
            .build()
            .start();
    port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  NodeTls tls() {
    return tls;
  }

  SimConfigStore config() {
    return config;
  }

  NodeStatus report() {
    return SimStatus.report(
        nodeId,
        hostname,
        activeVersion(),
        osdIds,
        revision.incrementAndGet(),
        runtime.clock.instant());
  }

  /** After enrolment: opens the mTLS channel to the controller and starts heartbeating. */
  synchronized void enrolled(String controllerHost, int controllerPort, Duration interval)
      throws IOException {
    SslContext ssl =
        GrpcSslContexts.configure(SslContextBuilder.forClient())
            .keyManager(tls.keyManager())
            .trustManager(tls.trustManager())
            .build();
    controller =
        NettyChannelBuilder.forAddress(controllerHost, controllerPort)
            .eventLoopGroup(runtime.workers)
            .channelType(NioSocketChannel.class)
            .executor(runtime.executor)
            .sslContext(ssl)
            .build();
    heartbeatInterval = interval;
    startHeartbeats();
    change(AgentState.SERVING, "enrolled, serving on " + address());
  }

  synchronized void failed(String why) {
    stopServing();
    change(AgentState.FAILED, why);
  }

  /** The die-mid-apply fault: the server stops while the call is in flight. */
  synchronized void dieMidApply() {
    faults.set(faults().withDiesMidApply(false));
    runtime.counters.died.incrementAndGet();
    // Runs inside the call being cut off: let its answer go out, refuse everything new, and
    // cut what is left shortly after, without waiting here.
    Server dying = server;
    stopServing(false);
    if (dying != null) {
      runtime.scheduler.schedule(dying::shutdownNow, 200, TimeUnit.MILLISECONDS);
    }
    change(AgentState.DEAD, "died during UpdateConfig (simulated fault)");
  }

  synchronized void close() {
    stopServing();
    if (controller != null) {
      controller.shutdownNow();
    }
    change(AgentState.STOPPED, "fleet closed");
  }

  private void startHeartbeats() {
    long period = heartbeatInterval.toMillis();
    // The first beat goes out at once (status for the inventory), the rest spread over the period.
    heartbeat();
    heartbeats =
        runtime.scheduler.scheduleAtFixedRate(
            this::heartbeat,
            1 + Math.floorMod(nodeId.hashCode(), period),
            period,
            TimeUnit.MILLISECONDS);
  }

  private void heartbeat() {
    if (state == AgentState.DEAD || state == AgentState.STOPPED || controller == null) {
      return;
    }
    HeartbeatRequest.Builder request =
        HeartbeatRequest.newBuilder().setStatus(report()).setAgentAddress(address());
    boolean withFacts;
    synchronized (this) {
      withFacts = !factsSent;
    }
    if (withFacts) {
      request.setFacts(SimStatus.facts(nodeId));
    }
    ControllerGrpc.newStub(controller)
        .withDeadlineAfter(HEARTBEAT_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .heartbeat(
            request.build(),
            new StreamObserver<>() {
              @Override
              public void onNext(HeartbeatResponse response) {
                runtime.counters.heartbeats.incrementAndGet();
                if (withFacts) {
                  synchronized (SimAgent.this) {
                    factsSent = true;
                  }
                }
              }

              @Override
              public void onError(Throwable t) {
                runtime.counters.heartbeatFailures.incrementAndGet();
              }

              @Override
              public void onCompleted() {}
            });
  }

  private void stopServing() {
    stopServing(true);
  }

  /** Stops heartbeats and the server: at once and waiting, or gracefully in the background. */
  private void stopServing(boolean await) {
    if (heartbeats != null) {
      heartbeats.cancel(false);
      heartbeats = null;
    }
    if (server != null) {
      if (await) {
        server.shutdownNow();
        try {
          server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        server.shutdown();
      }
      server = null;
    }
  }

  private void change(AgentState next, String detail) {
    if (state == next && next != AgentState.SERVING) {
      return;
    }
    state = next;
    runtime.events.accept(new SimEvent(runtime.clock.instant(), nodeId, next, detail));
  }

  /** For messages. */
  @Override
  public String toString() {
    return nodeId + "@" + address() + " (" + state + ")";
  }
}
