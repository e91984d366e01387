package org.debvisor.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.junit.jupiter.api.Test;

class CoverageTest {

  private static NodeRecord node(String hostname, HealthState ceph) {
    NodeRecord.Builder b = NodeRecord.newBuilder().setHostname(hostname);
    if (ceph != null) {
      b.setLastStatus(
          NodeStatus.newBuilder()
              .addSubsystems(
                  SubsystemStatus.newBuilder()
                      .setSubsystem(Subsystem.SUBSYSTEM_SYSTEM)
                      .setState(HealthState.HEALTH_OK))
              .addSubsystems(
                  SubsystemStatus.newBuilder()
                      .setSubsystem(Subsystem.SUBSYSTEM_CEPH)
                      .setState(ceph)));
    }
    return b.build();
  }

  @Test
  void namesWhatEachNodeSaidOfTheSubsystem() {
    List<NodeRecord> nodes =
        List.of(
            node("a", HealthState.HEALTH_ABSENT),
            node("b", null),
            node("c", HealthState.HEALTH_UNKNOWN));

    assertThat(Coverage.describe(nodes, Subsystem.SUBSYSTEM_CEPH))
        .isEqualTo("3 nodes asked: a absent, b no report yet, c unknown");
    assertThat(Coverage.describe(nodes.subList(0, 1), Subsystem.SUBSYSTEM_HYPERVISOR))
        .isEqualTo("1 node asked: a not reported");
  }

  @Test
  void anEmptyFleetAndALongOneStayShort() {
    assertThat(Coverage.describe(List.of(), Subsystem.SUBSYSTEM_CEPH))
        .isEqualTo("no enrolled node matches");
    List<NodeRecord> many = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      many.add(node("n" + i, HealthState.HEALTH_ABSENT));
    }
    String text = Coverage.describe(many, Subsystem.SUBSYSTEM_CEPH);
    assertThat(text).startsWith("25 nodes asked: n0 absent").endsWith("n9 absent, …");
    assertThat(text).doesNotContain("n10");
  }
}
