package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.NodeStatus;
import org.junit.jupiter.api.Test;

/** A cluster's status is its worst active node; silent and stale nodes count as unknown. */
class ClusterHealthTest {

  private static NodeRecord node(HealthState state) {
    return NodeRecord.newBuilder()
        .setNodeId(state.name())
        .setLastStatus(NodeStatus.newBuilder().setState(state))
        .build();
  }

  @Test
  void allOkIsOk() {
    assertThat(ClusterHealth.of(List.of(node(HealthState.HEALTH_OK), node(HealthState.HEALTH_OK))))
        .isEqualTo(new ClusterHealth("ok", 0));
  }

  @Test
  void oneErrorMakesTheClusterError() {
    assertThat(
            ClusterHealth.of(
                List.of(
                    node(HealthState.HEALTH_OK),
                    node(HealthState.HEALTH_ERROR),
                    node(HealthState.HEALTH_WARN))))
        .isEqualTo(new ClusterHealth("error", 0));
  }

  @Test
  void warnIsWorseThanOkButBetterThanUnknown() {
    assertThat(
            ClusterHealth.of(List.of(node(HealthState.HEALTH_OK), node(HealthState.HEALTH_WARN))))
        .isEqualTo(new ClusterHealth("warn", 0));
    assertThat(
            ClusterHealth.of(
                List.of(node(HealthState.HEALTH_WARN), NodeRecord.newBuilder().build())))
        .as("a node that never reported")
        .isEqualTo(new ClusterHealth("unknown", 0));
  }

  @Test
  void aStaleNodeIsUnknownWhateverItLastSaidAndIsCounted() {
    NodeRecord stale = node(HealthState.HEALTH_OK).toBuilder().setStale(true).build();

    assertThat(ClusterHealth.of(List.of(node(HealthState.HEALTH_OK), stale)))
        .isEqualTo(new ClusterHealth("unknown", 1));
  }

  @Test
  void anEmptyClusterIsUnknown() {
    assertThat(ClusterHealth.of(List.of())).isEqualTo(new ClusterHealth("unknown", 0));
  }
}
