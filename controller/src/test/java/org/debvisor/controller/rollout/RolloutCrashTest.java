package org.debvisor.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.Duration;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;
import org.debvisor.proto.ChangeRolloutRequest;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigHistoryEntry;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.GetRolloutRequest;
import org.debvisor.proto.Rollout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a real controller process in the middle of a wave and in the middle of a rollback;
 * after a restart on the same state the rollout finishes, no node is updated twice and none is
 * forgotten. Two controller JVM starts after the first take over a minute on the shared build
 * machine, so it runs in the slow suite ({@code -Ddebvisor.slow=true}); the default suite covers
 * resuming with an in-process restart (RolloutEngineTest).
 */
class RolloutCrashTest {

  @TempDir Path dir;

  private TestFleet fleet;

  @AfterEach
  void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private Rollout get(String id) {
    return fleet.operator().getRollout(GetRolloutRequest.newBuilder().setId(id).build());
  }

  /** A bundle whose agent-side gate holds each apply for 1 s, so a wave takes a while. */
  private ConfigBundle slow(String version, boolean smoke) {
    return fleet.bundle(version, smoke).toBuilder()
        .setGate(
            fleet.bundle(version, smoke).getGate().toBuilder()
                .setWindow(Duration.newBuilder().setSeconds(1)))
        .build();
  }

  private CreateRolloutRequest request(ConfigBundle bundle) {
    return CreateRolloutRequest.newBuilder()
        .setBundle(bundle)
        .setSelector("profile=ceph")
        .setCanary(1)
        .addWavePercents(50)
        .addWavePercents(100)
        .setMaxUnavailable(1)
        .setGateWindow(Duration.getDefaultInstance())
        .build();
  }

  private static long entries(List<ConfigHistoryEntry> history, String version, String previous) {
    return history.stream()
        .filter(e -> e.getVersion().equals(version) && e.getPreviousVersion().equals(previous))
        .filter(e -> e.getResult() == ConfigResult.CONFIG_APPLIED)
        .count();
  }

  @Test
  void aKilledControllerFinishesItsWaveAndItsRollbackAfterARestart() throws Exception {
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "SIGKILL test: -Ddebvisor.slow=true");
    fleet = new TestFleet(dir);
    fleet.addAgents(4, List.of("node-4"));
    fleet.stopController();
    fleet.startControllerProcess();

    // Mid-wave: the last wave (node-3, node-4) is being updated one node at a time.
    String first = fleet.operator().createRollout(request(slow("v1", false))).getId();
    TestFleet.await(
        "the last wave is being updated",
        () -> get(first).getCurrentWave() == 2 && !get(first).hasGateUntil());
    fleet.killControllerProcess();
    fleet.startControllerProcess();
    TestFleet.await("v1 succeeded", () -> get(first).getState().equals("SUCCEEDED"));
    for (String node : fleet.agents.keySet()) {
      assertThat(fleet.activeVersion(node)).isEqualTo("v1");
      assertThat(entries(fleet.history(node), "v1", "")).as(node).isEqualTo(1);
    }
    fleet.awaitReported("v1");

    // Mid-rollback: node-4's gate fails in the last wave; kill once the first node is restored.
    String second = fleet.operator().createRollout(request(slow("v2", true))).getId();
    TestFleet.await(
        "the rollback restored its first node",
        () ->
            get(second).getState().equals("ROLLING_BACK")
                && get(second).getNodeCountsOrDefault("ROLLED_BACK", 0) >= 1);
    // Abort during a rollback is refused (it would leave nodes half restored); nothing changes.
    RolloutEngineTest.assertRefused(
        () ->
            fleet
                .operator()
                .changeRollout(
                    ChangeRolloutRequest.newBuilder()
                        .setId(second)
                        .setAction(ChangeRolloutRequest.Action.ABORT)
                        .build()),
        Status.Code.FAILED_PRECONDITION,
        "is ROLLING_BACK",
        "wait for ROLLED_BACK");
    assertThat(get(second).getState()).isEqualTo("ROLLING_BACK");
    fleet.killControllerProcess();
    fleet.startControllerProcess();
    TestFleet.await("v2 rolled back", () -> get(second).getState().equals("ROLLED_BACK"));

    Rollout after = get(second);
    assertThat(after.getTrippingNode()).isEqualTo("node-4");
    for (String node : List.of("node-1", "node-2", "node-3")) {
      assertThat(fleet.activeVersion(node)).as(node).isEqualTo("v1");
      assertThat(entries(fleet.history(node), "v2", "v1")).as(node).isEqualTo(1);
      assertThat(entries(fleet.history(node), "v1", "v2")).as(node).isEqualTo(1);
    }
    assertThat(fleet.activeVersion("node-4")).isEqualTo("v1");
    assertThat(fleet.log()).doesNotContain("Exception in thread");
  }
}
