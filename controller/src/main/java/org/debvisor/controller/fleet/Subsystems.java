package org.debvisor.controller.fleet;

import java.util.Optional;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;

/** Finds one subsystem's reading in a node's last status. */
final class Subsystems {

  private Subsystems() {}

  /** The subsystem's reading, empty when the node never reported it or reported it absent. */
  static Optional<SubsystemStatus> present(NodeRecord node, Subsystem subsystem) {
    if (!node.hasLastStatus()) {
      return Optional.empty();
    }
    return node.getLastStatus().getSubsystemsList().stream()
        .filter(s -> s.getSubsystem() == subsystem && s.getState() != HealthState.HEALTH_ABSENT)
        .findFirst();
  }

  /** OK, WARN, ERROR, UNKNOWN. */
  static String state(HealthState state) {
    return state == HealthState.HEALTH_STATE_UNSPECIFIED
        ? "UNKNOWN"
        : state.name().replace("HEALTH_", "");
  }
}
