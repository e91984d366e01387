package org.debvisor.controller.rollout;

import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.debvisor.proto.CheckOkToStopRequest;
import org.debvisor.proto.CheckOkToStopResponse;
import org.debvisor.proto.EnrolmentState;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;

/**
 * Ceph's own {@code osd ok-to-stop} before a wave touches OSD hosts. Which nodes host OSDs comes
 * from their last Ceph report ({@code local_osd_ids}); the question goes through one agent of the
 * cluster that reports Ceph, the first of a few (by hostname) that answers. All the wave's OSDs are
 * asked about at once; only when Ceph refuses are they asked about per node, to name the node.
 */
final class OsdStopGate {

  /** Agents tried before giving up on asking Ceph for now. */
  static final int AGENTS_TRIED = 3;

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final AgentCalls agents;

  OsdStopGate(AgentCalls agents) {
    this.agents = agents;
  }

  /**
   * @param wave the nodes about to be updated
   * @param cluster the inventory's view of the rollout's cluster
   * @return passed when none of them hosts OSDs or Ceph says they can stop; otherwise why not,
   *     naming the node
   */
  GateVerdict check(List<RolloutNode> wave, List<NodeRecord> cluster) {
    Map<String, NodeRecord> byId =
        cluster.stream().collect(Collectors.toMap(NodeRecord::getNodeId, Function.identity()));
    Map<String, List<Integer>> osdHosts = new LinkedHashMap<>();
    for (RolloutNode n : wave) {
      ceph(byId.get(n.nodeId()))
          .filter(c -> c.getCeph().getLocalOsdIdsCount() > 0)
          .ifPresent(c -> osdHosts.put(n.hostname(), c.getCeph().getLocalOsdIdsList()));
    }
    if (osdHosts.isEmpty()) {
      return GateVerdict.PASSED;
    }
    String first = osdHosts.keySet().iterator().next();
    List<NodeRecord> askers =
        cluster.stream()
            .filter(n -> n.getEnrolment() == EnrolmentState.ENROLMENT_ACTIVE)
            .filter(n -> !n.getAgentAddress().isEmpty())
            .filter(n -> ceph(n).isPresent())
            .sorted(Comparator.comparing(NodeRecord::getHostname))
            .limit(AGENTS_TRIED)
            .toList();
    if (askers.isEmpty()) {
      return new GateVerdict(
          "no agent of the cluster reports Ceph, so nobody could ask Ceph whether the OSDs of "
              + first
              + " can stop",
          first);
    }
    List<Integer> all = osdHosts.values().stream().flatMap(List::stream).toList();
    Answer together = ask(askers, all);
    if (together.response() == null) {
      return new GateVerdict(
          "could not ask Ceph whether the OSDs of " + first + " can stop: " + together.failures(),
          first);
    }
    if (together.response().getOkToStop()) {
      return GateVerdict.PASSED;
    }
    for (Map.Entry<String, List<Integer>> host : osdHosts.entrySet()) {
      Answer alone = ask(askers, host.getValue());
      if (alone.response() == null || !alone.response().getOkToStop()) {
        String why =
            alone.response() == null
                ? together.response().getReason()
                : alone.response().getReason();
        return new GateVerdict(
            "Ceph says "
                + osds(host.getValue())
                + " on "
                + host.getKey()
                + " must not stop now: "
                + why,
            host.getKey());
      }
    }
    return new GateVerdict(
        "Ceph says the OSDs of "
            + String.join(", ", osdHosts.keySet())
            + " must not stop together now: "
            + together.response().getReason(),
        first);
  }

  private record Answer(CheckOkToStopResponse response, String failures) {}

  private Answer ask(List<NodeRecord> askers, List<Integer> osdIds) {
    CheckOkToStopRequest request = CheckOkToStopRequest.newBuilder().addAllOsdIds(osdIds).build();
    List<String> failures = new ArrayList<>();
    for (NodeRecord asker : askers) {
      try {
        return new Answer(agents.checkOkToStop(asker.getAgentAddress(), request, DEADLINE), "");
      } catch (StatusRuntimeException e) {
        failures.add(
            "agent of "
                + asker.getHostname()
                + " answered "
                + e.getStatus().getCode()
                + (e.getStatus().getDescription() == null
                    ? ""
                    : " (" + e.getStatus().getDescription() + ")"));
      }
    }
    return new Answer(null, String.join("; ", failures));
  }

  /** The node's last Ceph report, when it reports Ceph at all. */
  private static Optional<SubsystemStatus> ceph(NodeRecord node) {
    if (node == null) {
      return Optional.empty();
    }
    return node.getLastStatus().getSubsystemsList().stream()
        .filter(s -> s.getSubsystem() == Subsystem.SUBSYSTEM_CEPH)
        .filter(s -> s.getState() != HealthState.HEALTH_ABSENT && s.hasCeph())
        .findFirst();
  }

  private static String osds(List<Integer> ids) {
    return ids.stream().map(id -> "osd." + id).collect(Collectors.joining(" "));
  }
}
