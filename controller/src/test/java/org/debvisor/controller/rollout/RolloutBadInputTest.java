package org.debvisor.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.debvisor.controller.rollout.RolloutEngineTest.assertRefused;

import io.grpc.Status;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.debvisor.controller.inventory.Database;
import org.debvisor.proto.ChangeRolloutRequest;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.GetRolloutRequest;
import org.debvisor.proto.ListRolloutsRequest;
import org.debvisor.proto.Rollout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests the controller must refuse before touching any node: each asserts the error (code and
 * words) and that nothing changed — no rollout stored, no audit entry, no agent contacted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutBadInputTest {

  private TestFleet fleet;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    fleet = new TestFleet(dir);
    fleet.addAgents(2, List.of());
  }

  @AfterAll
  void stop() throws Exception {
    fleet.close();
  }

  private CreateRolloutRequest.Builder valid() {
    return CreateRolloutRequest.newBuilder()
        .setBundle(fleet.bundle("v1", false))
        .setSelector("profile=ceph")
        .setCanary(1)
        .addWavePercents(100)
        .setMaxUnavailable(1)
        .setGateWindow(com.google.protobuf.Duration.getDefaultInstance());
  }

  /** Rollouts stored, audit entries, and agents' histories: what "nothing changed" means here. */
  private record Snapshot(int rollouts, long auditEntries, int agentHistory) {}

  private Snapshot snapshot() throws Exception {
    long audit;
    try (Connection c = Database.readOnlyConnection(fleet.stateDir.resolve("controller.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_log")) {
      rs.next();
      audit = rs.getLong(1);
    }
    int history = 0;
    for (String node : fleet.agents.keySet()) {
      history += fleet.history(node).size();
    }
    return new Snapshot(
        fleet.operator().listRollouts(ListRolloutsRequest.getDefaultInstance()).getRolloutsCount(),
        audit,
        history);
  }

  private void assertRefusedAndUnchanged(
      CreateRolloutRequest request, Status.Code code, String... words) throws Exception {
    Snapshot before = snapshot();
    assertRefused(() -> fleet.operator().createRollout(request), code, words);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void anUnknownSelectorFieldIsRefusedNamingTheKeys() throws Exception {
    assertRefusedAndUnchanged(
        valid().setSelector("colour=blue").build(),
        Status.Code.INVALID_ARGUMENT,
        "selector",
        "unknown key 'colour'",
        "hostname");
  }

  @Test
  void aSelectorMatchingNothingIsRefused() throws Exception {
    assertRefusedAndUnchanged(
        valid().setSelector("profile=k8s").build(),
        Status.Code.INVALID_ARGUMENT,
        "'profile=k8s' matches no active node");
  }

  @Test
  void wavesNotEndingAtAHundredPercentAreRefused() throws Exception {
    assertRefusedAndUnchanged(
        valid().clearWavePercents().addWavePercents(10).addWavePercents(50).build(),
        Status.Code.INVALID_ARGUMENT,
        "waves",
        "ends at 50%",
        "must be 100%");
    assertRefusedAndUnchanged(
        valid()
            .clearWavePercents()
            .addWavePercents(50)
            .addWavePercents(50)
            .addWavePercents(100)
            .build(),
        Status.Code.INVALID_ARGUMENT,
        "50% follows 50%");
  }

  @Test
  void zeroOrNegativeMaxUnavailableIsRefused() throws Exception {
    assertRefusedAndUnchanged(
        valid().setMaxUnavailable(0).build(),
        Status.Code.INVALID_ARGUMENT,
        "max_unavailable",
        "at least 1");
    assertRefusedAndUnchanged(
        valid().setMaxUnavailable(-3).build(), Status.Code.INVALID_ARGUMENT, "is -3");
  }

  @Test
  void aBundleTheAgentsWouldRefuseIsRefusedBeforeAnyNodeIsTouched() throws Exception {
    assertRefusedAndUnchanged(
        valid().setBundle(fleet.bundle("v1", false).toBuilder().setVersion("no spaces!")).build(),
        Status.Code.INVALID_ARGUMENT,
        "bundle",
        "bundle.version",
        "[A-Za-z0-9._:-]",
        "nothing was sent");
    assertRefusedAndUnchanged(
        valid()
            .setBundle(
                fleet.bundle("v1", false).toBuilder()
                    .setFiles(
                        0,
                        fleet.bundle("v1", false).getFiles(0).toBuilder().setPath("/etc/passwd")))
            .build(),
        Status.Code.INVALID_ARGUMENT,
        "bundle.files[0].path",
        "nothing was sent");
  }

  @Test
  void aSecondRolloutTouchingANodeOfARunningOneIsRefusedNamingBoth() throws Exception {
    Rollout first =
        fleet
            .operator()
            .createRollout(
                valid()
                    .setName("first")
                    .setApproveAfterCanary(true)
                    .clearWavePercents()
                    .addWavePercents(50)
                    .addWavePercents(100)
                    .build());
    try {
      TestFleet.await(
          "first rollout awaits approval",
          () ->
              fleet
                  .operator()
                  .getRollout(GetRolloutRequest.newBuilder().setId(first.getId()).build())
                  .getState()
                  .equals("AWAITING_APPROVAL"));
      assertRefusedAndUnchanged(
          valid().setName("second").setSelector("hostname=node-2").build(),
          Status.Code.FAILED_PRECONDITION,
          "rollout 'second'",
          "node-2",
          first.getId(),
          "first",
          "AWAITING_APPROVAL");
    } finally {
      fleet
          .operator()
          .changeRollout(
              ChangeRolloutRequest.newBuilder()
                  .setId(first.getId())
                  .setAction(ChangeRolloutRequest.Action.ABORT)
                  .build());
    }
  }

  @Test
  void commandsOnAnUnknownRolloutSayWhereToLook() throws Exception {
    Snapshot before = snapshot();
    assertRefused(
        () ->
            fleet
                .operator()
                .changeRollout(
                    ChangeRolloutRequest.newBuilder()
                        .setId("ro-nope")
                        .setAction(ChangeRolloutRequest.Action.APPROVE)
                        .build()),
        Status.Code.NOT_FOUND,
        "no rollout 'ro-nope'",
        "rollout list");
    assertThat(snapshot()).isEqualTo(before);
  }
}
