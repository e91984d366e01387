package org.debvisor.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.inventory.Database;
import org.debvisor.proto.ChangeRolloutRequest;
import org.debvisor.proto.ConfigHistoryEntry;
import org.debvisor.proto.ConfigResult;
import org.debvisor.proto.CreateRolloutRequest;
import org.debvisor.proto.GetRolloutRequest;
import org.debvisor.proto.Rollout;
import org.debvisor.proto.RolloutNodeState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts driven by the real controller against real agents (in this JVM, over mutual TLS): the
 * happy path, gate failures on the canary and in the last wave, approval, operator commands, an
 * unreachable agent, a node changed behind the controller's back, and a controller restart in the
 * middle of a wave. Waits poll with a bound; nothing asserts on speed.
 */
class RolloutEngineTest {

  @TempDir Path dir;

  private TestFleet fleet;

  @AfterEach
  void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  private TestFleet fleet(int nodes, String... failingSmoke) throws Exception {
    fleet = new TestFleet(dir);
    fleet.addAgents(nodes, List.of(failingSmoke));
    return fleet;
  }

  private static CreateRolloutRequest.Builder request(TestFleet f, String version, boolean smoke) {
    return CreateRolloutRequest.newBuilder()
        .setBundle(f.bundle(version, smoke))
        .setSelector("profile=ceph")
        .setCanary(1)
        .addWavePercents(50)
        .addWavePercents(100)
        .setMaxUnavailable(2)
        .setMaxFailures(0)
        .setGateWindow(com.google.protobuf.Duration.getDefaultInstance());
  }

  private Rollout get(String id) {
    return fleet.operator().getRollout(GetRolloutRequest.newBuilder().setId(id).build());
  }

  private Rollout awaitState(String id, String state) throws InterruptedException {
    TestFleet.await("rollout " + id + " " + state, () -> get(id).getState().equals(state));
    return get(id);
  }

  private Rollout change(String id, ChangeRolloutRequest.Action action) {
    return fleet
        .operator()
        .changeRollout(ChangeRolloutRequest.newBuilder().setId(id).setAction(action).build());
  }

  private static RolloutNodeState node(Rollout r, String id) {
    return r.getNodesList().stream()
        .filter(n -> n.getNodeId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  /** Entries of {@code version} in the agent's history that applied it. */
  private long applied(String node, String version) {
    return fleet.history(node).stream()
        .filter(e -> e.getVersion().equals(version))
        .filter(e -> e.getResult() == ConfigResult.CONFIG_APPLIED)
        .count();
  }

  private List<String> auditActions() {
    List<String> actions = new ArrayList<>();
    try (Connection c = Database.readOnlyConnection(fleet.stateDir.resolve("controller.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT action, result FROM audit_log ORDER BY seq")) {
      while (rs.next()) {
        actions.add(rs.getString(1) + ":" + rs.getString(2));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return actions;
  }

  @Test
  void aRolloutUpdatesTheCanaryThenEachWaveAndSucceeds() throws Exception {
    fleet(4);
    // Through the CLI, from a bundle directory on the operator's machine.
    Path bundle = java.nio.file.Files.createDirectories(dir.resolve("bundle"));
    java.nio.file.Files.writeString(bundle.resolve("app.conf"), "version=v1\n");
    java.nio.file.Files.writeString(
        bundle.resolve("bundle.yaml"),
        String.join(
            "\n",
            "version: v1",
            "files:",
            "  - path: " + fleet.managed().resolve("app.conf"),
            "    mode: \"0644\"",
            "    content_file: app.conf",
            "gate:",
            "  checks:",
            "    - command: smoke",
            ""));
    String out =
        cli(
            "rollout",
            "create",
            bundle.toString(),
            "--selector",
            "profile=ceph",
            "--canary",
            "1",
            "--waves",
            "50%,100%",
            "--max-unavailable",
            "2",
            "--gate-window",
            "0s",
            "-o",
            "json");
    String id = out.replaceAll("(?s).*\"id\": \"(ro-[0-9a-f]+)\".*", "$1");
    Rollout created = get(id);
    assertThat(created.getNodesList())
        .extracting(RolloutNodeState::getHostname, RolloutNodeState::getWave)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("node-1", 0),
            org.assertj.core.groups.Tuple.tuple("node-2", 1),
            org.assertj.core.groups.Tuple.tuple("node-3", 2),
            org.assertj.core.groups.Tuple.tuple("node-4", 2));
    Rollout done = awaitState(created.getId(), "SUCCEEDED");

    assertThat(done.getNodesList()).allMatch(n -> n.getState().equals("UPDATED"));
    assertThat(cli("rollout", "status", id)).contains("SUCCEEDED", "node-4", "UPDATED");
    assertThat(cli("rollout", "list")).contains(id, "v1", "SUCCEEDED", "4/0/0");
    for (String node : fleet.agents.keySet()) {
      assertThat(fleet.activeVersion(node)).isEqualTo("v1");
      assertThat(applied(node, "v1")).isEqualTo(1);
      assertThat(fleet.history(node).get(0).getCaller()).isEqualTo("cert:debvisor-controller");
    }
    assertThat(auditActions())
        .contains(
            "rollout.create:ok",
            "rollout.gate:passed",
            "rollout.wave:RUNNING",
            "rollout.finish:SUCCEEDED");
    assertThat(
            new AuditVerifier()
                .verify(Database.readOnlyConnection(fleet.stateDir.resolve("controller.db")))
                .intact())
        .isTrue();
    assertThat(
            fleet
                .registry
                .get("debvisor.deployment.duration")
                .tag("environment", "lab")
                .tag("result", "SUCCEEDED")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            fleet
                .registry
                .get("debvisor.deployment.status")
                .tag("state", "SUCCEEDED")
                .gauge()
                .value())
        .isEqualTo(1.0);
  }

  @Test
  void aGateFailureInTheLastWaveRollsEveryChangedNodeBackNewestFirst() throws Exception {
    fleet(4, "node-4");
    String first = fleet.operator().createRollout(request(fleet, "v1", false).build()).getId();
    awaitState(first, "SUCCEEDED");
    fleet.awaitReported("v1");

    Rollout second =
        fleet.operator().createRollout(request(fleet, "v2", true).setMaxUnavailable(1).build());
    Rollout rolledBack = awaitState(second.getId(), "ROLLED_BACK");

    assertThat(rolledBack.getTrippingNode()).isEqualTo("node-4");
    assertThat(rolledBack.getReason()).contains("node-4", "gate command 'smoke'");
    assertThat(node(rolledBack, "node-4").getState()).isEqualTo("FAILED");
    for (String n : List.of("node-1", "node-2", "node-3")) {
      assertThat(node(rolledBack, n).getState()).isEqualTo("ROLLED_BACK");
    }
    for (String n : fleet.agents.keySet()) {
      assertThat(fleet.activeVersion(n)).as(n).isEqualTo("v1");
    }
    // Newest first: node-3 (changed last) went back before node-2, node-2 before node-1.
    List<String> restoreOrder =
        List.of("node-1", "node-2", "node-3").stream()
            .sorted(Comparator.comparing((String n) -> restoredAt(n)).reversed())
            .toList();
    assertThat(restoreOrder).containsExactly("node-1", "node-2", "node-3");
    assertThat(auditActions()).contains("rollout.gate:failed", "rollout.rolled-back:ROLLED_BACK");
    assertThat(
            fleet
                .registry
                .get("debvisor.deployment.rollback")
                .tag("environment", "lab")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  /** When the agent applied v1 again during the rollback, as seconds since the epoch in nanos. */
  private long restoredAt(String node) {
    ConfigHistoryEntry e =
        fleet.history(node).stream()
            .filter(h -> h.getVersion().equals("v1") && h.getPreviousVersion().equals("v2"))
            .findFirst()
            .orElseThrow();
    return e.getAt().getSeconds() * 1_000_000_000L + e.getAt().getNanos();
  }

  @Test
  void aFailingCanaryStopsTheRolloutBeforeAnyOtherNodeIsTouched() throws Exception {
    fleet(3, "node-1");

    Rollout r = fleet.operator().createRollout(request(fleet, "v1", true).build());
    Rollout after = awaitState(r.getId(), "ROLLED_BACK");

    assertThat(after.getTrippingNode()).isEqualTo("node-1");
    assertThat(node(after, "node-1").getState()).isEqualTo("FAILED");
    assertThat(node(after, "node-2").getState()).isEqualTo("PENDING");
    assertThat(node(after, "node-3").getState()).isEqualTo("PENDING");
    assertThat(fleet.history("node-2")).isEmpty();
    assertThat(fleet.history("node-3")).isEmpty();
    assertThat(fleet.activeVersion("node-1")).isEmpty();
  }

  @Test
  void approvalPauseResumeAbortAndRollbackFollowTheRolloutsState() throws Exception {
    fleet(3);
    String first = fleet.operator().createRollout(request(fleet, "v1", false).build()).getId();
    awaitState(first, "SUCCEEDED");
    fleet.awaitReported("v1");

    Rollout r =
        fleet
            .operator()
            .createRollout(request(fleet, "v2", false).setApproveAfterCanary(true).build());
    awaitState(r.getId(), "AWAITING_APPROVAL");
    assertThat(fleet.activeVersion("node-1")).isEqualTo("v2");
    assertThat(fleet.activeVersion("node-2")).isEqualTo("v1");

    // Waiting for approval: pause and resume do not apply.
    assertRefused(
        () -> change(r.getId(), ChangeRolloutRequest.Action.RESUME),
        Status.Code.FAILED_PRECONDITION,
        "AWAITING_APPROVAL");
    change(r.getId(), ChangeRolloutRequest.Action.APPROVE);
    awaitState(r.getId(), "SUCCEEDED");
    for (String n : fleet.agents.keySet()) {
      assertThat(fleet.activeVersion(n)).isEqualTo("v2");
    }

    // A finished rollout refuses approve and resume, naming its state; nothing changes.
    assertRefused(
        () -> change(r.getId(), ChangeRolloutRequest.Action.APPROVE),
        Status.Code.FAILED_PRECONDITION,
        "is SUCCEEDED");
    assertRefused(
        () -> change(r.getId(), ChangeRolloutRequest.Action.RESUME),
        Status.Code.FAILED_PRECONDITION,
        "is SUCCEEDED");
    assertThat(get(r.getId()).getState()).isEqualTo("SUCCEEDED");

    // An explicit rollback of a finished rollout restores v1 everywhere.
    change(r.getId(), ChangeRolloutRequest.Action.ROLLBACK);
    Rollout back = awaitState(r.getId(), "ROLLED_BACK");
    assertThat(back.getReason()).contains("rollback requested by operator");
    for (String n : fleet.agents.keySet()) {
      assertThat(fleet.activeVersion(n)).isEqualTo("v1");
    }
    assertThat(auditActions()).contains("rollout.approve:RUNNING", "rollout.rollback:ROLLING_BACK");
  }

  @Test
  void abortStopsARolloutWhereItIsAndPauseHoldsIt() throws Exception {
    fleet(3);
    Rollout r =
        fleet
            .operator()
            .createRollout(request(fleet, "v1", false).setApproveAfterCanary(true).build());
    awaitState(r.getId(), "AWAITING_APPROVAL");

    assertRefused(
        () -> change(r.getId(), ChangeRolloutRequest.Action.PAUSE),
        Status.Code.FAILED_PRECONDITION,
        "AWAITING_APPROVAL");
    Rollout aborted = change(r.getId(), ChangeRolloutRequest.Action.ABORT);
    assertThat(aborted.getState()).isEqualTo("ABORTED");
    assertThat(aborted.getReason()).isEqualTo("aborted by operator");
    Thread.sleep(300);
    assertThat(fleet.history("node-2")).isEmpty();
    assertThat(fleet.history("node-3")).isEmpty();
    assertRefused(
        () -> change(r.getId(), ChangeRolloutRequest.Action.RESUME),
        Status.Code.FAILED_PRECONDITION,
        "is ABORTED");
  }

  @Test
  void anUnreachableAgentCountsAsFailedAfterBoundedRetriesAndTheRolloutRollsBack()
      throws Exception {
    fleet(3);
    String first = fleet.operator().createRollout(request(fleet, "v1", false).build()).getId();
    awaitState(first, "SUCCEEDED");
    fleet.awaitReported("v1");
    fleet.agents.get("node-3").close();

    Rollout r = fleet.operator().createRollout(request(fleet, "v2", false).build());
    Rollout after = awaitState(r.getId(), "ROLLED_BACK");

    assertThat(after.getTrippingNode()).isEqualTo("node-3");
    assertThat(node(after, "node-3").getState()).isEqualTo("FAILED");
    assertThat(node(after, "node-3").getReason())
        .contains("unreachable", "after 3 attempts", "nothing was sent");
    assertThat(node(after, "node-3").getAttempts()).isZero();
    assertThat(fleet.activeVersion("node-1")).isEqualTo("v1");
    assertThat(fleet.activeVersion("node-2")).isEqualTo("v1");
  }

  @Test
  void aNodeChangedBehindTheControllersBackFailsWithItsVersionNamed() throws Exception {
    fleet(3);
    Rollout r =
        fleet
            .operator()
            .createRollout(request(fleet, "v1", false).setApproveAfterCanary(true).build());
    awaitState(r.getId(), "AWAITING_APPROVAL");
    // Someone else configures node-3 directly.
    fleet.pushAsController("node-3", fleet.bundle("hand-made", false));

    change(r.getId(), ChangeRolloutRequest.Action.APPROVE);
    Rollout after = awaitState(r.getId(), "ROLLED_BACK");

    assertThat(after.getTrippingNode()).isEqualTo("node-3");
    assertThat(node(after, "node-3").getReason())
        .contains("reports configuration version 'hand-made'", "nothing was sent");
    assertThat(fleet.activeVersion("node-3")).isEqualTo("hand-made");
    assertThat(applied("node-3", "v1")).isZero();
  }

  @Test
  void aControllerRestartInTheMiddleOfAWaveFinishesTheRolloutWithoutUpdatingANodeTwice()
      throws Exception {
    fleet(4);
    // A bundle whose agent-side gate holds each update for 1 s, one node at a time.
    var slow =
        request(fleet, "v1", false)
            .setMaxUnavailable(1)
            .setBundle(
                fleet.bundle("v1", false).toBuilder()
                    .setGate(
                        org.debvisor.proto.HealthGate.newBuilder()
                            .setWindow(com.google.protobuf.Duration.newBuilder().setSeconds(1))))
            .build();
    String id = fleet.operator().createRollout(slow).getId();
    TestFleet.await(
        "the rollout is in its last wave",
        () -> get(id).getCurrentWave() == 2 && get(id).getGateUntil().getSeconds() == 0);

    fleet.stopController();
    fleet.startController();
    Rollout done = awaitState(id, "SUCCEEDED");

    assertThat(done.getNodesList()).allMatch(n -> n.getState().equals("UPDATED"));
    for (String node : fleet.agents.keySet()) {
      assertThat(fleet.activeVersion(node)).isEqualTo("v1");
      assertThat(applied(node, "v1")).as(node).isEqualTo(1);
    }
  }

  /** Runs {@code debvisor ARGS} in process against the fleet's controller; stdout on success. */
  private String cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    var cli =
        org.debvisor.controller.cli.DebvisorCli.create(
            null,
            java.util.Map.of(
                "DEBVISOR_STATE_DIR",
                fleet.stateDir.toString(),
                "DEBVISOR_CONTROLLER",
                "127.0.0.1:" + fleet.port));
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    int code = cli.execute(args);
    assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
    return out.toString();
  }

  static void assertRefused(Runnable call, Status.Code code, String... words) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(words);
            });
  }
}
