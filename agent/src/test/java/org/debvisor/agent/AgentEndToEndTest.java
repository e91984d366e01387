package org.debvisor.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.debvisor.agent.testing.CephMicroCluster;
import org.debvisor.agent.testing.TestAgents;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.CephSettings;
import org.debvisor.agentapi.CollectorsSettings;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.HttpSettings;
import org.debvisor.agentapi.HypervisorSettings;
import org.debvisor.agentapi.KubernetesSettings;
import org.debvisor.agentapi.SystemSettings;
import org.debvisor.proto.CheckOkToStopRequest;
import org.debvisor.proto.CheckOkToStopResponse;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent as the demo runs it, over gRPC: a real Ceph micro-cluster read with the read-only
 * {@code client.debvisor} key, libvirt's test driver with a sample node, no Kubernetes, the real
 * system. Then the Ceph monitor dies.
 */
class AgentEndToEndTest {

  @TempDir static Path dir;
  private static CephMicroCluster ceph;
  private static Agent agent;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    ceph = CephMicroCluster.start();
    Path libvirtNode = Path.of("src/test/resources/libvirt/test-node.xml").toAbsolutePath();
    AgentSettings settings =
        new AgentSettings(
            null,
            new GrpcSettings(List.of("127.0.0.1:0"), null, null, null),
            new HttpSettings(""),
            new CollectorsSettings(
                new CephSettings(
                    true,
                    ceph.confFile(),
                    "debvisor",
                    ceph.clientKeyring(),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(4),
                    Duration.ofSeconds(2)),
                new HypervisorSettings(
                    true,
                    "test://" + libvirtNode,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(4),
                    null),
                new KubernetesSettings(true, dir.resolve("no-kubeconfig"), null, null, null),
                // Generous timeouts: the suite runs beside a QEMU VM and image builds, and a
                // first collection on a loaded 2-core box was seen to take over 1 s.
                new SystemSettings(Duration.ofSeconds(1), Duration.ofSeconds(10), null, null)),
            null,
            TestAgents.temporaryConfig(List.of(), List.of()),
            null,
            null);
    NodeIdentity identity = NodeIdentity.newBuilder().setNodeId("e2e").setHostname("e2e").build();
    agent =
        new Agent(
            settings, identity, CollectorCatalog.create(settings, identity), Clock.systemUTC());
    agent.start();
    channel = TestAgents.channel(agent);
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      TestAgents.close(channel);
    }
    if (agent != null) {
      agent.close();
    }
    if (ceph != null) {
      ceph.close();
    }
  }

  private static NodeStatus status() {
    return NodeGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .status(StatusRequest.getDefaultInstance());
  }

  private static CheckOkToStopResponse okToStop() {
    return NodeGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .checkOkToStop(CheckOkToStopRequest.getDefaultInstance());
  }

  private static SubsystemStatus part(NodeStatus status, Subsystem subsystem) {
    return status.getSubsystemsList().stream()
        .filter(s -> s.getSubsystem() == subsystem)
        .findFirst()
        .orElseThrow();
  }

  /** Polls Status (bounded) until the predicate holds, returning that report. */
  private static NodeStatus awaitStatus(Predicate<NodeStatus> condition, String what)
      throws InterruptedException {
    NodeStatus last = null;
    for (int i = 0; i < 300; i++) {
      last = status();
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("within 30 s: " + what + "; last report:\n" + last);
  }

  @Test
  void reportsEverySubsystemThenSurvivesTheCephMonitorDying() throws Exception {
    NodeStatus healthy =
        awaitStatus(
            s ->
                part(s, Subsystem.SUBSYSTEM_CEPH).getState() == HealthState.HEALTH_OK
                    && part(s, Subsystem.SUBSYSTEM_HYPERVISOR).hasHypervisor()
                    && part(s, Subsystem.SUBSYSTEM_KUBERNETES).hasCollectedAt(),
            "every subsystem read once and Ceph healthy");

    SubsystemStatus cephPart = part(healthy, Subsystem.SUBSYSTEM_CEPH);
    assertThat(cephPart.getCeph().getHealthStatus()).isEqualTo("HEALTH_OK");
    assertThat(cephPart.getCeph().getMons().getQuorumNamesList()).hasSize(1);
    assertThat(cephPart.getCeph().getOsds().getUp()).isEqualTo(1);
    assertThat(cephPart.getCeph().getOsds().getIn()).isEqualTo(1);
    assertThat(cephPart.getCeph().getPoolsList()).anyMatch(p -> p.getName().equals("demo"));
    // the micro-cluster's only OSD runs on this machine, in the CRUSH bucket of its host name
    assertThat(cephPart.getCeph().getLocalOsdIdsList()).containsExactly(0);
    // ... and holds every PG of a size-1 pool, so Ceph says it must not stop
    CheckOkToStopResponse ownOsds = okToStop();
    assertThat(ownOsds.getOkToStop()).isFalse();
    assertThat(ownOsds.getOsdIdsList()).containsExactly(0);
    assertThat(ownOsds.getReason())
        .isEqualTo("unsafe to stop osd(s) at this time (8 PGs are or would become offline)");
    SubsystemStatus hv = part(healthy, Subsystem.SUBSYSTEM_HYPERVISOR);
    assertThat(hv.getHypervisor().getLibvirtReachable()).isTrue();
    assertThat(hv.getHypervisor().getDomainsByStateMap())
        .containsKeys("running", "paused", "shutoff");
    assertThat(part(healthy, Subsystem.SUBSYSTEM_KUBERNETES).getState())
        .isEqualTo(HealthState.HEALTH_ABSENT);
    assertThat(part(healthy, Subsystem.SUBSYSTEM_SYSTEM).getSystem().getMemoryTotalBytes())
        .isPositive();

    ceph.killMonitor();

    NodeStatus broken =
        awaitStatus(
            s -> {
              HealthState state = part(s, Subsystem.SUBSYSTEM_CEPH).getState();
              return state == HealthState.HEALTH_ERROR || state == HealthState.HEALTH_UNKNOWN;
            },
            "Ceph turns ERROR or UNKNOWN after its monitor died");
    SubsystemStatus dead = part(broken, Subsystem.SUBSYSTEM_CEPH);
    assertThatThrownBy(AgentEndToEndTest::okToStop)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription())
                  .startsWith("cannot reach Ceph monitors")
                  .contains("as client.debvisor");
            });
    assertThat(dead.getMessage()).isNotBlank();
    assertThat(dead.getStale()).isTrue();
    assertThat(dead.getCeph().getFsid()).isEqualTo(cephPart.getCeph().getFsid());
    assertThat(dead.getLastSuccessAt().getSeconds())
        .isGreaterThanOrEqualTo(cephPart.getLastSuccessAt().getSeconds());
    assertThat(broken.getState()).isIn(HealthState.HEALTH_ERROR, HealthState.HEALTH_UNKNOWN);

    // The rest keeps answering and keeps being collected while Ceph is down.
    long systemBefore = part(broken, Subsystem.SUBSYSTEM_SYSTEM).getCollectedAt().getSeconds();
    NodeStatus later =
        awaitStatus(
            s ->
                part(s, Subsystem.SUBSYSTEM_SYSTEM).getCollectedAt().getSeconds()
                    > systemBefore + 1,
            "the system collector keeps running");
    assertThat(part(later, Subsystem.SUBSYSTEM_HYPERVISOR).getHypervisor().getLibvirtReachable())
        .isTrue();
    assertThat(part(later, Subsystem.SUBSYSTEM_SYSTEM).getStale())
        .as("system fresh: %s", part(later, Subsystem.SUBSYSTEM_SYSTEM).getMessage())
        .isFalse();
  }
}
