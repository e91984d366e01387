package org.debvisor.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.GetRolloutRequest;
import org.debvisor.proto.Rollout;
import org.debvisor.proto.RolloutNodeState;
import org.debvisor.sim.AgentFaults;
import org.debvisor.sim.SimAgent;
import org.debvisor.sim.SimFleet;
import org.debvisor.sim.SimSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance scenario against the fleet simulator: a rollout whose canary passes and
 * whose wave has 5 % of nodes failing their gate rolls the whole fleet back to its previous
 * version. 40 simulated agents by default; 200 with {@code -Ddebvisor.slow=true}. And Ceph's
 * ok-to-stop, answered by the simulated agents, holding a wave back until its gate fails.
 */
class SimFleetRolloutTest {

  @TempDir Path dir;

  private TestFleet controller;
  private SimFleet sim;

  @AfterEach
  void stop() throws Exception {
    if (sim != null) {
      sim.close();
    }
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void fivePercentOfAWaveFailingTheirGateRollsTheWholeFleetBack() throws Exception {
    int agents = Boolean.getBoolean("debvisor.slow") ? 200 : 40;
    startFleet(agents, 0);

    Rollout first = controller.operator().createRollout(request("v1").build());
    await(first.getId(), "SUCCEEDED");
    controller.awaitReported("v1");

    // 5 % of the fleet, all in the last wave (hostname order), fail their gate.
    List<SimAgent> all = sim.agents();
    int failing = Math.max(1, agents / 20);
    List<String> failingIds =
        all.stream()
            .sorted(java.util.Comparator.comparing(SimAgent::hostname))
            .skip(agents - failing)
            .map(
                a -> {
                  a.setFaults(AgentFaults.none().withGateFails(true));
                  return a.nodeId();
                })
            .toList();
    Rollout second =
        controller
            .operator()
            .createRollout(request("v2").setMaxUnavailable(Math.max(1, agents / 10)).build());
    Rollout after = await(second.getId(), "ROLLED_BACK");

    assertThat(failingIds).contains(idOf(after, after.getTrippingNode()));
    assertThat(after.getReason()).contains("more than --max-failures 0");
    for (SimAgent a : all) {
      assertThat(a.activeVersion()).as(a.nodeId()).isEqualTo("v1");
    }
    assertThat(after.getNodesList())
        .allMatch(
            n ->
                n.getState().equals("ROLLED_BACK")
                    || n.getState().equals("FAILED")
                    || n.getState().equals("PENDING"));
    controller.awaitReported("v1");
  }

  @Test
  void anOsdHostCephWillNotLetStopRollsTheRolloutBackNamingIt() throws Exception {
    int agents = 6;
    startFleet(agents, 1);
    TestFleet.await(
        "every simulated agent reported its OSD",
        () ->
            controller.nodes().stream()
                .allMatch(
                    n ->
                        n.getLastStatus().getSubsystemsList().stream()
                            .anyMatch(c -> c.getCeph().getLocalOsdIdsCount() == 1)));
    Rollout first = controller.operator().createRollout(request("v1").build());
    await(first.getId(), "SUCCEEDED");
    controller.awaitReported("v1");

    // The last node by hostname is in the last wave; Ceph will not let its OSD stop.
    SimAgent busy =
        sim.agents().stream().max(java.util.Comparator.comparing(SimAgent::hostname)).orElseThrow();
    busy.setFaults(AgentFaults.none().withNotOkToStop(true));
    Rollout second =
        controller
            .operator()
            .createRollout(
                request("v2")
                    .setGateWindow(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                    .build());
    Rollout after = await(second.getId(), "ROLLED_BACK");

    assertThat(after.getTrippingNode()).isEqualTo(busy.hostname());
    int osd = busy.osdIds().get(0);
    assertThat(after.getReason())
        .startsWith("gate failed before wave ")
        .contains(
            "Ceph says osd."
                + osd
                + " on "
                + busy.hostname()
                + " must not stop now: unsafe to stop osd(s) at this time (osd."
                + osd
                + " on "
                + busy.hostname()
                + ": simulated fault)");
    // Nothing of its wave was touched; what the earlier waves changed went back.
    assertThat(stateOf(after, busy.hostname())).isEqualTo("PENDING");
    assertThat(after.getNodesList())
        .extracting(RolloutNodeState::getState)
        .containsOnly("ROLLED_BACK", "PENDING")
        .contains("ROLLED_BACK");
    for (SimAgent a : sim.agents()) {
      assertThat(a.activeVersion()).as(a.nodeId()).isEqualTo("v1");
    }
  }

  /** A controller and {@code agents} simulated agents, each hosting {@code osds} Ceph OSDs. */
  private void startFleet(int agents, int osds) throws Exception {
    controller = new TestFleet(dir);
    sim =
        SimFleet.start(
            SimSettings.of(
                    "127.0.0.1",
                    controller.port,
                    controller.stateDir.resolve("pki/ca.pem"),
                    agents,
                    "sim")
                .withHeartbeatInterval(Duration.ofMillis(500))
                .withOsdsPerAgent(osds),
            hostname ->
                controller
                    .operator()
                    .createBootstrapToken(
                        CreateBootstrapTokenRequest.newBuilder()
                            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600))
                            .setHostname(hostname)
                            .build())
                    .getToken(),
            event -> {});
    // 200 agents did not all enrol within 120 s on a 2-core machine at a load of 25-35.
    assertThat(sim.awaitEnrolment(Duration.ofSeconds(Math.max(120, agents * 2L)))).isTrue();
    TestFleet.await(
        "every simulated agent reported",
        () ->
            controller.nodes().size() == agents
                && controller.nodes().stream().allMatch(n -> !n.getAgentAddress().isEmpty()));
  }

  private static String stateOf(Rollout r, String hostname) {
    return r.getNodesList().stream()
        .filter(n -> n.getHostname().equals(hostname))
        .map(RolloutNodeState::getState)
        .findFirst()
        .orElse("?");
  }

  private static String idOf(Rollout r, String hostname) {
    return r.getNodesList().stream()
        .filter(n -> n.getHostname().equals(hostname))
        .map(RolloutNodeState::getNodeId)
        .findFirst()
        .orElse("?");
  }

  private CreateRolloutRequest.Builder request(String version) {
    return CreateRolloutRequest.newBuilder()
        .setBundle(controller.bundle(version, false))
        .setSelector("")
        .setCanary(1)
        .addWavePercents(10)
        .addWavePercents(50)
        .addWavePercents(100)
        .setMaxUnavailable(20)
        .setGateWindow(com.google.protobuf.Duration.getDefaultInstance());
  }

  private Rollout await(String id, String state) throws InterruptedException {
    TestFleet.await(
        "rollout " + id + " " + state,
        Duration.ofSeconds(Math.max(60, sim.agents().size())),
        () ->
            controller
                .operator()
                .getRollout(GetRolloutRequest.newBuilder().setId(id).build())
                .getState()
                .equals(state));
    return controller.operator().getRollout(GetRolloutRequest.newBuilder().setId(id).build());
  }
}
