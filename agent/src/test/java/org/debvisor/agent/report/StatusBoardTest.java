package org.debvisor.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.debvisor.proto.SystemDetails;
import org.junit.jupiter.api.Test;

class StatusBoardTest {

  private final StatusBoard board =
      new StatusBoard(
          NodeIdentity.newBuilder().setNodeId("n1").setHostname("node1").build(),
          List.of(
              Subsystem.SUBSYSTEM_CEPH,
              Subsystem.SUBSYSTEM_HYPERVISOR,
              Subsystem.SUBSYSTEM_KUBERNETES,
              Subsystem.SUBSYSTEM_SYSTEM),
          Clock.systemUTC());

  private static SubsystemStatus reading(
      Subsystem s, HealthState state, long seconds, double load) {
    return SubsystemStatus.newBuilder()
        .setSubsystem(s)
        .setState(state)
        .setMessage(state.name())
        .setCollectedAt(Timestamp.newBuilder().setSeconds(seconds))
        .setSystem(SystemDetails.newBuilder().setLoad1(load))
        .build();
  }

  @Test
  void startsUnknownWithEverySubsystemInOrder() {
    NodeStatus report = board.current();

    assertThat(report.getState()).isEqualTo(HealthState.HEALTH_UNKNOWN);
    assertThat(report.getSubsystemsList())
        .extracting(SubsystemStatus::getSubsystem)
        .containsExactly(
            Subsystem.SUBSYSTEM_CEPH,
            Subsystem.SUBSYSTEM_HYPERVISOR,
            Subsystem.SUBSYSTEM_KUBERNETES,
            Subsystem.SUBSYSTEM_SYSTEM);
    assertThat(report.getNode().getHostname()).isEqualTo("node1");
    assertThat(board.allCollectedOnce()).isFalse();
  }

  @Test
  void revisionMovesOnlyWhenContentChanges() {
    List<NodeStatus> heard = new ArrayList<>();
    board.subscribe(heard::add);

    board.publish(reading(Subsystem.SUBSYSTEM_SYSTEM, HealthState.HEALTH_OK, 1, 0.5));
    long first = board.current().getRevision();
    board.publish(reading(Subsystem.SUBSYSTEM_SYSTEM, HealthState.HEALTH_OK, 2, 0.5));
    long sameContent = board.current().getRevision();
    board.publish(reading(Subsystem.SUBSYSTEM_SYSTEM, HealthState.HEALTH_OK, 3, 0.7));

    assertThat(sameContent).isEqualTo(first);
    assertThat(board.current().getRevision()).isEqualTo(first + 1);
    assertThat(heard).hasSize(2);
    // the report still carries the newest timestamps even when the revision stayed
    assertThat(board.current().getSubsystems(3).getCollectedAt().getSeconds()).isEqualTo(3);
  }

  @Test
  void overallIsTheWorstPresentStateAndAbsentDoesNotCount() {
    board.publish(reading(Subsystem.SUBSYSTEM_CEPH, HealthState.HEALTH_WARN, 1, 0));
    board.publish(reading(Subsystem.SUBSYSTEM_HYPERVISOR, HealthState.HEALTH_OK, 1, 0));
    board.publish(reading(Subsystem.SUBSYSTEM_KUBERNETES, HealthState.HEALTH_ABSENT, 1, 0));
    board.publish(reading(Subsystem.SUBSYSTEM_SYSTEM, HealthState.HEALTH_OK, 1, 0));

    NodeStatus report = board.current();
    assertThat(report.getState()).isEqualTo(HealthState.HEALTH_WARN);
    assertThat(report.getSummary()).isEqualTo("ceph WARN: HEALTH_WARN; absent: kubernetes");
    assertThat(board.allCollectedOnce()).isTrue();

    board.publish(reading(Subsystem.SUBSYSTEM_CEPH, HealthState.HEALTH_OK, 2, 0));
    assertThat(board.current().getState()).isEqualTo(HealthState.HEALTH_OK);
    assertThat(board.current().getSummary())
        .isEqualTo("ok: ceph, hypervisor, system; absent: kubernetes");

    board.publish(reading(Subsystem.SUBSYSTEM_SYSTEM, HealthState.HEALTH_ERROR, 3, 0));
    board.publish(reading(Subsystem.SUBSYSTEM_HYPERVISOR, HealthState.HEALTH_UNKNOWN, 3, 0));
    assertThat(board.current().getState()).isEqualTo(HealthState.HEALTH_ERROR);
  }

  @Test
  void unsubscribedListenerHearsNothingMore() {
    List<NodeStatus> heard = new ArrayList<>();
    Runnable unsubscribe = board.subscribe(heard::add);
    board.publish(reading(Subsystem.SUBSYSTEM_SYSTEM, HealthState.HEALTH_OK, 1, 0.1));
    unsubscribe.run();
    board.publish(reading(Subsystem.SUBSYSTEM_SYSTEM, HealthState.HEALTH_OK, 2, 0.2));

    assertThat(heard).hasSize(1);
  }

  @Test
  void aNewIdentityMovesTheRevisionAndKeepsTheReadingsTheirStateAndSummary() {
    board.publish(reading(Subsystem.SUBSYSTEM_CEPH, HealthState.HEALTH_WARN, 1, 0));
    board.publish(reading(Subsystem.SUBSYSTEM_HYPERVISOR, HealthState.HEALTH_OK, 1, 0));
    board.publish(reading(Subsystem.SUBSYSTEM_KUBERNETES, HealthState.HEALTH_ABSENT, 1, 0));
    board.publish(reading(Subsystem.SUBSYSTEM_SYSTEM, HealthState.HEALTH_OK, 1, 0.3));
    NodeStatus before = board.current();
    List<NodeStatus> heard = new ArrayList<>();
    board.subscribe(heard::add);

    board.updateIdentity(before.getNode().toBuilder().setConfigVersion("v2").build());
    NodeStatus after = board.current();

    assertThat(after.getNode().getConfigVersion()).isEqualTo("v2");
    assertThat(after.getNode().getHostname()).isEqualTo("node1");
    assertThat(after.getRevision()).isEqualTo(before.getRevision() + 1);
    assertThat(after.getState()).isEqualTo(HealthState.HEALTH_WARN);
    assertThat(after.getSummary()).isEqualTo(before.getSummary());
    assertThat(after.getSubsystemsList()).isEqualTo(before.getSubsystemsList());
    assertThat(heard).containsExactly(after);

    // The same identity again changes nothing; a later reading keeps the new identity.
    board.updateIdentity(after.getNode());
    assertThat(board.current()).isSameAs(after);
    board.publish(reading(Subsystem.SUBSYSTEM_CEPH, HealthState.HEALTH_OK, 2, 0));
    assertThat(board.current().getNode().getConfigVersion()).isEqualTo("v2");
    assertThat(board.current().getState()).isEqualTo(HealthState.HEALTH_OK);
    assertThat(board.current().getRevision()).isEqualTo(after.getRevision() + 1);
  }
}
