package org.debvisor.controller.server;

import java.util.List;
import org.debvisor.proto.NodeRecord;

/**
 * A cluster's health as the fleet reports it: the worst state among its active nodes (a node that
 * has not reported yet, or whose heartbeats are overdue, counts as unknown) and how many are stale.
 *
 * @param status one of {@link #STATUSES}
 * @param staleNodes active nodes whose heartbeats are overdue
 */
record ClusterHealth(String status, long staleNodes) {

  /** The values of the {@code status} label, best first; "unknown" ranks between warn and error. */
  static final List<String> STATUSES = List.of("ok", "warn", "unknown", "error");

  /** An empty cluster is unknown: nothing reports that it works. */
  static ClusterHealth of(List<NodeRecord> activeNodes) {
    if (activeNodes.isEmpty()) {
      return new ClusterHealth("unknown", 0);
    }
    int worst = 0;
    long stale = 0;
    for (NodeRecord node : activeNodes) {
      if (node.getStale()) {
        stale++;
      }
      worst = Math.max(worst, STATUSES.indexOf(statusOf(node)));
    }
    return new ClusterHealth(STATUSES.get(worst), stale);
  }

  private static String statusOf(NodeRecord node) {
    if (node.getStale() || !node.hasLastStatus()) {
      return "unknown";
    }
    return switch (node.getLastStatus().getState()) {
      case HEALTH_OK -> "ok";
      case HEALTH_WARN -> "warn";
      case HEALTH_ERROR -> "error";
      case HEALTH_UNKNOWN, HEALTH_ABSENT, HEALTH_STATE_UNSPECIFIED, UNRECOGNIZED -> "unknown";
    };
  }
}
