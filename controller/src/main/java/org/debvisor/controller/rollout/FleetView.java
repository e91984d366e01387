package org.debvisor.controller.rollout;

import java.util.List;
import org.debvisor.proto.NodeRecord;

/** The controller's current view of its nodes (inventory plus last reports). */
@FunctionalInterface
public interface FleetView {
  List<NodeRecord> nodes();
}
