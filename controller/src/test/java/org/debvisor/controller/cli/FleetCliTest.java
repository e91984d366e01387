package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.CephDetails;
import org.debvisor.proto.CephHealthCheck;
import org.debvisor.proto.CephMonStatus;
import org.debvisor.proto.CephOsdStatus;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.HypervisorDetails;
import org.debvisor.proto.HypervisorHost;
import org.debvisor.proto.KubernetesDetails;
import org.debvisor.proto.KubernetesNodeCondition;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** cephctl, hvctl and k8sctl against a served controller fed by real heartbeats. */
class FleetCliTest {

  @TempDir Path state;

  private ServedCli served;
  private RunningController ctl;
  private Map<String, String> env;

  @BeforeEach
  void start() throws Exception {
    served = ServedCli.start(state);
    ctl = served.ctl;
    env = served.env;
  }

  @AfterEach
  void stop() {
    served.close();
  }

  private int run(Function<Map<String, String>, CommandLine> tool, String... args) {
    return served.run(tool, args);
  }

  /** Enrols a node and sends one heartbeat with the given subsystem readings. */
  private void report(String id, String hostname, SubsystemStatus... subsystems) throws Exception {
    String token =
        ctl.operator()
            .createBootstrapToken(
                CreateBootstrapTokenRequest.newBuilder()
                    .setTtl(Duration.newBuilder().setSeconds(600))
                    .build())
            .getToken();
    try (TestNode node = new TestNode(id, hostname);
        var anon = ctl.anonymous()) {
      var enrolled = anon.controller(120).registerNode(node.request(token).build());
      node.mtls(ctl, enrolled.getCertificatePem())
          .heartbeat(
              HeartbeatRequest.newBuilder()
                  .setStatus(
                      NodeStatus.newBuilder().addAllSubsystems(java.util.List.of(subsystems)))
                  .build());
    }
  }

  private static SubsystemStatus ceph(String health, long collectedAt, String... checks) {
    CephDetails.Builder d =
        CephDetails.newBuilder()
            .setFsid("fsid-1")
            .setHealthStatus(health)
            .setMons(CephMonStatus.newBuilder().setTotal(3).addQuorumNames("a").addQuorumNames("b"))
            .setOsds(CephOsdStatus.newBuilder().setTotal(4).setUp(3).setIn(4));
    for (String check : checks) {
      d.addChecks(
          CephHealthCheck.newBuilder().setCode(check).setSeverity(health).setSummary("1 osd down"));
    }
    return SubsystemStatus.newBuilder()
        .setSubsystem(Subsystem.SUBSYSTEM_CEPH)
        .setState(health.equals("HEALTH_OK") ? HealthState.HEALTH_OK : HealthState.HEALTH_WARN)
        .setCollectedAt(Timestamp.newBuilder().setSeconds(collectedAt))
        .setCeph(d)
        .build();
  }

  @Test
  void cephHealthTakesTheFreshestReadingAndExitsByStatus() throws Exception {
    assertThat(run(FleetCli::cephctl, "health")).isEqualTo(3);
    assertThat(served.out()).contains("no node reports Ceph");

    report("c1", "ceph-1", ceph("HEALTH_OK", 1000));
    assertThat(run(FleetCli::cephctl, "health")).as(served.err()).isZero();
    assertThat(served.out()).startsWith("HEALTH_OK").contains("2/3").contains("3/4/4");

    report("c2", "ceph-2", ceph("HEALTH_WARN", 2000, "OSD_DOWN"));
    assertThat(run(FleetCli::cephctl, "health")).isEqualTo(1);
    assertThat(served.out())
        .startsWith("HEALTH_WARN")
        .contains("ceph-2")
        .contains("OSD_DOWN: 1 osd down");

    report("c3", "ceph-3", ceph("HEALTH_ERR", 3000, "PG_DAMAGED"));
    assertThat(run(FleetCli::cephctl, "health", "-o", "json")).isEqualTo(2);
    JsonNode json = new ObjectMapper().readTree(served.out());
    assertThat(json.get("overall").asText()).isEqualTo("HEALTH_ERR");
    assertThat(json.get("clusters").get(0).get("reportedBy").asText()).isEqualTo("ceph-3");
  }

  @Test
  void cephctlUsageErrorsDoNotLookLikeHealthErr() {
    assertThat(run(FleetCli::cephctl, "health", "--bogus")).isEqualTo(64);
    assertThat(run(FleetCli::cephctl, "health", "--selector", "nope=1")).isEqualTo(64);
    assertThat(served.err()).contains("unknown key 'nope'");
  }

  @Test
  void hypervisorAndKubernetesNodes() throws Exception {
    report(
        "h1",
        "hv-1",
        SubsystemStatus.newBuilder()
            .setSubsystem(Subsystem.SUBSYSTEM_HYPERVISOR)
            .setState(HealthState.HEALTH_OK)
            .setHypervisor(
                HypervisorDetails.newBuilder()
                    .setLibvirtReachable(true)
                    .setDriver("QEMU")
                    .setHost(
                        HypervisorHost.newBuilder()
                            .setCpus(32)
                            .setMemoryTotalBytes(64L << 30)
                            .setMemoryFreeBytes(16L << 30))
                    .putDomainsByState("running", 5)
                    .putDomainsByState("shutoff", 1))
            .build(),
        SubsystemStatus.newBuilder()
            .setSubsystem(Subsystem.SUBSYSTEM_KUBERNETES)
            .setState(HealthState.HEALTH_OK)
            .setKubernetes(
                KubernetesDetails.newBuilder()
                    .setApiserverReady(true)
                    .setNodeName("hv-1")
                    .setKubeletVersion("v1.31.2")
                    .setNodeCount(3)
                    .setReadyNodeCount(3)
                    .addConditions(
                        KubernetesNodeCondition.newBuilder().setType("Ready").setStatus("True")))
            .build());
    report(
        "c1",
        "ceph-only",
        SubsystemStatus.newBuilder()
            .setSubsystem(Subsystem.SUBSYSTEM_HYPERVISOR)
            .setState(HealthState.HEALTH_ABSENT)
            .build());

    assertThat(run(FleetCli::hvctl, "nodes")).as(served.err()).isZero();
    assertThat(served.out())
        .contains("hv-1")
        .contains("QEMU")
        .contains("16.0/64.0 GiB")
        .contains("running=5 shutoff=1")
        .doesNotContain("ceph-only");

    assertThat(run(FleetCli::k8sctl, "nodes", "-o", "json")).as(served.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(served.out());
    assertThat(json).hasSize(1);
    assertThat(json.get(0).get("ready").asText()).isEqualTo("True");
    assertThat(json.get(0).get("kubeletVersion").asText()).isEqualTo("v1.31.2");
  }
}
