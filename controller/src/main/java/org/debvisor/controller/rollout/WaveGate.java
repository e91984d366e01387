package org.debvisor.controller.rollout;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.debvisor.controller.fleet.KubernetesRow;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;

/**
 * Decides whether a wave may stay: no more failed nodes than allowed, every updated node's Status
 * not worse than before its update, Ceph not in HEALTH_ERR as any node of the cluster reports it,
 * and every updated Kubernetes node still Ready.
 */
final class WaveGate {

  /**
   * @param rollout the rollout being gated
   * @param all every node of the rollout
   * @param fresh Status read from the agents of the wave's updated nodes just now, by node id; a
   *     node missing here did not answer
   * @param cluster the inventory's view of the rollout's cluster (their last heartbeats)
   */
  GateVerdict judge(
      Rollout rollout,
      List<RolloutNode> all,
      Map<String, NodeStatus> fresh,
      List<NodeRecord> cluster) {
    List<RolloutNode> failed = all.stream().filter(n -> n.state().failed()).toList();
    if (failed.size() > rollout.maxFailures()) {
      RolloutNode trip = failed.get(failed.size() - 1);
      return new GateVerdict(
          failed.size()
              + " node(s) failed, more than --max-failures "
              + rollout.maxFailures()
              + "; "
              + trip.hostname()
              + ": "
              + trip.reason(),
          trip.hostname());
    }
    for (RolloutNode n : all) {
      if (n.wave() != rollout.currentWave() || n.state() != NodeRolloutState.UPDATED) {
        continue;
      }
      NodeStatus now = fresh.get(n.nodeId());
      if (now == null) {
        return new GateVerdict(
            n.hostname() + " did not answer Node/Status during the gate", n.hostname());
      }
      if (worse(now.getState().getNumber(), n.healthBefore())) {
        return new GateVerdict(
            n.hostname()
                + " reports "
                + now.getState()
                + " after the update, worse than "
                + HealthState.forNumber(n.healthBefore())
                + " before it ("
                + now.getSummary()
                + ")",
            n.hostname());
      }
      Optional<String> notReady = notReady(now);
      if (notReady.isPresent()) {
        return new GateVerdict(n.hostname() + ": " + notReady.get(), n.hostname());
      }
    }
    for (NodeRecord node : cluster) {
      NodeStatus status = fresh.getOrDefault(node.getNodeId(), node.getLastStatus());
      boolean cephError =
          status.getSubsystemsList().stream()
              .anyMatch(
                  s ->
                      s.getSubsystem() == Subsystem.SUBSYSTEM_CEPH
                          && s.getCeph().getHealthStatus().equals("HEALTH_ERR"));
      if (cephError) {
        return new GateVerdict(
            "Ceph reports HEALTH_ERR (as seen from " + node.getHostname() + ")",
            node.getHostname());
      }
    }
    return GateVerdict.PASSED;
  }

  /** OK < WARN < ERROR; UNKNOWN counts as ERROR; unspecified (never read) and ABSENT as OK. */
  static boolean worse(int after, int before) {
    return rank(after) > rank(before);
  }

  private static int rank(int state) {
    HealthState s = HealthState.forNumber(state);
    if (s == null) {
      return 0;
    }
    return switch (s) {
      case HEALTH_WARN -> 1;
      case HEALTH_ERROR, HEALTH_UNKNOWN -> 2;
      default -> 0;
    };
  }

  private static Optional<String> notReady(NodeStatus status) {
    NodeRecord wrapped = NodeRecord.newBuilder().setLastStatus(status).build();
    for (KubernetesRow row : KubernetesRow.from(List.of(wrapped))) {
      if (!row.ready().equals("True")) {
        return Optional.of(
            "Kubernetes node " + row.nodeName() + " is not Ready (" + row.ready() + ")");
      }
    }
    return Optional.empty();
  }
}
