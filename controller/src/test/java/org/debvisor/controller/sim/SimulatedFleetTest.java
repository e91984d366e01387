package org.debvisor.controller.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.debvisor.common.digest.Sha256;
import org.debvisor.common.pem.Pem;
import org.debvisor.controller.server.ControllerSettings;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.ConfigHistoryRequest;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.GetConfigRequest;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.RegisterNodeResponse;
import org.debvisor.proto.StatusRequest;
import org.debvisor.proto.UpdateConfigRequest;
import org.debvisor.proto.UpdateConfigResponse;
import org.debvisor.sim.AgentFaults;
import org.debvisor.sim.AgentState;
import org.debvisor.sim.FaultSettings;
import org.debvisor.sim.SimAgent;
import org.debvisor.sim.SimEvent;
import org.debvisor.sim.SimFleet;
import org.debvisor.sim.SimSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real controller in process and 100 simulated agents: enrolment through RegisterNode with tokens
 * from CreateBootstrapToken, heartbeats, the Node service over mTLS, and each fault.
 */
class SimulatedFleetTest {

  // 100 in the slow suite; 20 keep the default suite cheap on a loaded 2-core machine.
  private static final int AGENTS = Boolean.getBoolean("debvisor.slow") ? 100 : 20;

  @TempDir static Path stateDir;

  private static RunningController controller;
  private static SimFleet fleet;
  private static SslContext asController;
  private static final List<ManagedChannel> channels = new ArrayList<>();
  private static final List<SimEvent> events = new CopyOnWriteArrayList<>();
  private static List<SimAgent> gateFailingAtStart;

  @BeforeAll
  static void startFleet() throws Exception {
    controller =
        RunningController.start(
            stateDir,
            s ->
                s.withRegisterLimit(new ControllerSettings.RateLimit(1000, 1000))
                    .withHeartbeatInterval(Duration.ofSeconds(30)));
    SimSettings settings =
        SimSettings.of(
                "127.0.0.1",
                controller.controller.address().getPort(),
                controller.caFile(),
                AGENTS,
                "simt")
            .withHeartbeatInterval(Duration.ofSeconds(30))
            .withFaults(FaultSettings.none().withGateFailFraction(0.05))
            .withSeed(7);
    fleet =
        SimFleet.start(
            settings,
            hostname ->
                controller
                    .operator()
                    .createBootstrapToken(
                        CreateBootstrapTokenRequest.newBuilder()
                            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600))
                            .setHostname(hostname)
                            .build())
                    .getToken(),
            events::add);
    assertThat(fleet.awaitEnrolment(Duration.ofMinutes(3))).isTrue();
    gateFailingAtStart = fleet.agents().stream().filter(a -> a.faults().gateFails()).toList();
    Path pki = stateDir.resolve("pki");
    asController =
        GrpcSslContexts.configure(
                SslContextBuilder.forClient()
                    .trustManager(pki.resolve("ca.pem").toFile())
                    .keyManager(
                        pki.resolve("controller-client.pem").toFile(),
                        pki.resolve("controller-client.key").toFile()))
            .build();
  }

  @AfterAll
  static void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    if (fleet != null) {
      fleet.close();
    }
    if (controller != null) {
      controller.close();
    }
  }

  /** The k-th agent the fleet did not give a gate failure; each test takes its own. */
  private static SimAgent healthy(int k) {
    return fleet.agents().stream().filter(a -> !gateFailingAtStart.contains(a)).toList().get(k);
  }

  private static ManagedChannel channel(SimAgent agent, SslContext ssl) {
    String[] hostPort = agent.address().split(":");
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
            .sslContext(ssl)
            .build();
    channels.add(channel);
    return channel;
  }

  private static NodeGrpc.NodeBlockingStub node(SimAgent agent) {
    return NodeGrpc.newBlockingStub(channel(agent, asController))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  static ConfigBundle bundle(String version, String content) {
    return ConfigBundle.newBuilder()
        .setVersion(version)
        .addFiles(
            ConfigFile.newBuilder()
                .setPath("/etc/debvisor/sim.conf")
                .setMode(0644)
                .setContent(ByteString.copyFromUtf8(content))
                .setSha256(Sha256.hex(content)))
        .build();
  }

  static UpdateConfigRequest update(String version, String expected) {
    return UpdateConfigRequest.newBuilder()
        .setBundle(bundle(version, "content of " + version))
        .setExpectedCurrentVersion(expected)
        .build();
  }

  @Test
  void everyAgentEnrolsHeartbeatsAndIsListedWithItsAddress() throws Exception {
    Map<String, SimAgent> byId =
        fleet.agents().stream().collect(Collectors.toMap(SimAgent::nodeId, Function.identity()));
    List<NodeRecord> listed = List.of();
    // Each agent's first heartbeat goes out right after enrolment; bounded wait for all to land.
    for (int i = 0; i < 120; i++) {
      listed =
          controller
              .operator()
              .listNodes(ListNodesRequest.getDefaultInstance())
              .getNodesList()
              .stream()
              .filter(n -> byId.containsKey(n.getNodeId()))
              .toList();
      if (listed.size() == AGENTS && listed.stream().allMatch(NodeRecord::hasLastStatus)) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(listed).hasSize(AGENTS);
    for (NodeRecord n : listed) {
      assertThat(n.getAgentAddress()).isEqualTo(byId.get(n.getNodeId()).address());
      assertThat(n.getAgentAddress()).startsWith("127.0.0.1:");
      assertThat(n.getLastStatus().getNode().getNodeId()).isEqualTo(n.getNodeId());
    }
    assertThat(fleet.summary().count(AgentState.SERVING)).isEqualTo(AGENTS);
    assertThat(events.stream().filter(e -> e.state() == AgentState.SERVING).count())
        .isGreaterThanOrEqualTo(AGENTS);
  }

  @Test
  void theControllerCertificateChangesTheConfiguration() {
    SimAgent agent = healthy(0);
    agent.setFaults(AgentFaults.none());
    NodeGrpc.NodeBlockingStub node = node(agent);

    UpdateConfigResponse applied = node.updateConfig(update("v1", ""));
    UpdateConfigResponse again = node.updateConfig(update("v1", ""));

    assertThat(applied.getResult()).isEqualTo(ConfigResult.CONFIG_APPLIED);
    assertThat(applied.getPreviousVersion()).isEmpty();
    assertThat(again.getResult()).isEqualTo(ConfigResult.CONFIG_UNCHANGED);
    assertThat(node.getConfig(GetConfigRequest.getDefaultInstance()).getVersion()).isEqualTo("v1");
    assertThat(node.status(StatusRequest.getDefaultInstance()).getNode().getConfigVersion())
        .isEqualTo("v1");
    assertThat(
            node.configHistory(ConfigHistoryRequest.getDefaultInstance()).getEntries(0).getCaller())
        .isEqualTo("cert:debvisor-controller");
    assertThat(agent.activeVersion()).isEqualTo("v1");
  }

  @Test
  void aStaleExpectedVersionIsRefusedAndChangesNothing() {
    SimAgent agent = healthy(1);
    agent.setFaults(AgentFaults.none());
    NodeGrpc.NodeBlockingStub node = node(agent);
    node.updateConfig(update("v1", ""));

    assertThatThrownBy(() -> node.updateConfig(update("v2", "v0")))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.FAILED_PRECONDITION))
        .hasMessageContaining("expected_current_version is 'v0' but 'v1' is active");
    assertThat(node.getConfig(GetConfigRequest.getDefaultInstance()).getVersion()).isEqualTo("v1");
    assertThat(node.configHistory(ConfigHistoryRequest.getDefaultInstance()).getEntriesCount())
        .isEqualTo(1);
  }

  @Test
  void callersWithoutTheControllerCertificateAreRefused() throws Exception {
    SimAgent agent = healthy(2);
    agent.setFaults(AgentFaults.none());
    // No client certificate: the TLS handshake fails, as on the agent.
    SslContext anonymous =
        GrpcSslContexts.forClient().trustManager(controller.caFile().toFile()).build();
    assertThatThrownBy(
            () ->
                NodeGrpc.newBlockingStub(channel(agent, anonymous))
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .updateConfig(update("v1", "")))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE));

    // A node's certificate from the same CA: may read, may not change the configuration.
    TestNode other = new TestNode("simt-outsider", "simt-outsider");
    String token =
        controller
            .operator()
            .createBootstrapToken(
                CreateBootstrapTokenRequest.newBuilder()
                    .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600))
                    .build())
            .getToken();
    RegisterNodeResponse enrolled =
        controller.operator().registerNode(other.request(token).build());
    SslContext asNode =
        GrpcSslContexts.configure(
                SslContextBuilder.forClient()
                    .trustManager(controller.caFile().toFile())
                    .keyManager(
                        other.keys.getPrivate(), Pem.certificate(enrolled.getCertificatePem())))
            .build();
    NodeGrpc.NodeBlockingStub asOther =
        NodeGrpc.newBlockingStub(channel(agent, asNode)).withDeadlineAfter(30, TimeUnit.SECONDS);
    assertThat(asOther.status(StatusRequest.getDefaultInstance()).getNode().getNodeId())
        .isEqualTo(agent.nodeId());
    assertThatThrownBy(() -> asOther.updateConfig(update("v1", "")))
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.PERMISSION_DENIED))
        .hasMessageContaining("certificate 'simt-outsider' is not an allowed controller");
    assertThat(agent.activeVersion()).isEmpty();
    assertThat(
            node(agent).configHistory(ConfigHistoryRequest.getDefaultInstance()).getEntriesCount())
        .isZero();
  }

  @Test
  void theFleetsGateFailuresAreExactlyItsShare() {
    assertThat(gateFailingAtStart).hasSize(AGENTS / 20);
    SimAgent agent = gateFailingAtStart.get(0);

    UpdateConfigResponse response = node(agent).updateConfig(update("v1", ""));

    assertThat(response.getResult()).isEqualTo(ConfigResult.CONFIG_ROLLED_BACK);
    assertThat(agent.activeVersion()).isEmpty();
  }

  @Test
  void anAgentWhoseGateFailsRollsBack() {
    SimAgent agent = healthy(6);
    agent.setFaults(AgentFaults.none());
    NodeGrpc.NodeBlockingStub node = node(agent);
    node.updateConfig(update("v1", ""));
    agent.setFaults(AgentFaults.none().withGateFails(true));

    UpdateConfigResponse response = node.updateConfig(update("v2", "v1"));

    assertThat(response.getResult()).isEqualTo(ConfigResult.CONFIG_ROLLED_BACK);
    assertThat(response.getActiveVersion()).isEqualTo("v1");
    assertThat(response.getReason()).contains("gate check failed on " + agent.nodeId());
    assertThat(node.getConfig(GetConfigRequest.getDefaultInstance()).getVersion()).isEqualTo("v1");
    assertThat(
            node.configHistory(ConfigHistoryRequest.getDefaultInstance()).getEntries(0).getResult())
        .isEqualTo(ConfigResult.CONFIG_ROLLED_BACK);
  }

  @Test
  void droppedCallsAreUnavailableUntilTheFaultIsLifted() {
    SimAgent agent = healthy(3);
    agent.setFaults(AgentFaults.none().withDropFraction(1));
    NodeGrpc.NodeBlockingStub node = node(agent);
    long droppedBefore = fleet.summary().dropped();

    assertThatThrownBy(() -> node.updateConfig(update("v1", "")))
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("connection dropped (simulated fault)");
    assertThat(fleet.summary().dropped()).isGreaterThan(droppedBefore);
    agent.setFaults(AgentFaults.none());
    assertThat(agent.activeVersion()).isEmpty();
    assertThat(node.getConfig(GetConfigRequest.getDefaultInstance()).getVersion()).isEmpty();
  }

  @Test
  void anAgentThatDiesMidApplyKeepsItsPreviousVersionWhenRevived() throws Exception {
    SimAgent agent = healthy(4);
    agent.setFaults(AgentFaults.none());
    node(agent).updateConfig(update("v1", ""));
    agent.setFaults(AgentFaults.none().withDiesMidApply(true));

    assertThatThrownBy(() -> node(agent).updateConfig(update("v2", "v1")))
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("agent is shutting down");
    assertThat(agent.state()).isEqualTo(AgentState.DEAD);
    assertThat(fleet.summary().died()).isPositive();
    assertThatThrownBy(() -> node(agent).status(StatusRequest.getDefaultInstance()))
        .satisfies(
            e ->
                assertThat(((StatusRuntimeException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE));

    agent.revive();

    assertThat(agent.state()).isEqualTo(AgentState.SERVING);
    assertThat(agent.faults().diesMidApply()).isFalse();
    assertThat(node(agent).getConfig(GetConfigRequest.getDefaultInstance()).getVersion())
        .isEqualTo("v1");
    assertThat(node(agent).updateConfig(update("v2", "v1")).getResult())
        .isEqualTo(ConfigResult.CONFIG_APPLIED);
  }

  @Test
  void aSlowApplyIsStillRunningWhileTheAgentAnswersOtherCalls() throws Exception {
    SimAgent agent = healthy(5);
    agent.setFaults(
        AgentFaults.none().withApplyDelay(Duration.ofMinutes(10), Duration.ofMinutes(10)));
    ManagedChannel channel = channel(agent, asController);
    ListenableFuture<UpdateConfigResponse> pending =
        NodeGrpc.newFutureStub(channel)
            .withDeadlineAfter(30, TimeUnit.MINUTES)
            .updateConfig(update("v1", ""));

    // The apply waits on a timer, not a thread: reads are answered meanwhile.
    assertThat(
            NodeGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .status(StatusRequest.getDefaultInstance())
                .getNode()
                .getConfigVersion())
        .isEmpty();
    assertThat(pending.isDone()).isFalse();

    agent.kill();
    assertThatThrownBy(pending::get).isInstanceOf(ExecutionException.class);
    assertThat(agent.activeVersion()).isEmpty();
    agent.setFaults(AgentFaults.none());
    agent.revive();
    assertThat(agent.state()).isEqualTo(AgentState.SERVING);
  }
}
