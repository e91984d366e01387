package org.debvisor.controller.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.debvisor.controller.inventory.NodeSelector;
import org.debvisor.controller.inventory.SelectorException;
import org.debvisor.proto.EnrolmentState;
import org.debvisor.proto.NodeRecord;

/**
 * Turns a selector and wave sizes into a plan: the matching active nodes in hostname order, the
 * first {@code canary} of them as wave 0, then the cumulative waves. Waves that would be empty
 * (small fleets) are left out.
 */
public final class RolloutPlanner {

  /**
   * @param fleet every node the controller knows
   * @throws RolloutRefusedException bad selector, no match, nodes without an agent address
   */
  public List<PlannedNode> plan(RolloutSpec spec, List<NodeRecord> fleet) {
    NodeSelector selector;
    try {
      selector = NodeSelector.parse(spec.selector());
    } catch (SelectorException e) {
      throw RolloutRefusedException.invalid("selector", e.getMessage());
    }
    List<NodeRecord> chosen =
        fleet.stream()
            .filter(n -> n.getEnrolment() == EnrolmentState.ENROLMENT_ACTIVE)
            .filter(selector::matches)
            .sorted(
                Comparator.comparing(NodeRecord::getHostname).thenComparing(NodeRecord::getNodeId))
            .toList();
    if (chosen.isEmpty()) {
      throw RolloutRefusedException.invalid(
          "selector",
          "'"
              + spec.selector()
              + "' matches no active node; check it with `debvisor nodes list --selector ...`");
    }
    List<String> unreachable =
        chosen.stream()
            .filter(n -> n.getAgentAddress().isEmpty())
            .map(NodeRecord::getHostname)
            .toList();
    if (!unreachable.isEmpty()) {
      throw RolloutRefusedException.invalid(
          "selector",
          "matches nodes whose agent serves loopback only (no agent address): "
              + unreachable
              + "; exclude them or set controller.advertiseAddress on their agents");
    }
    int total = chosen.size();
    int canary = Math.min(spec.canary(), total);
    List<PlannedNode> plan = new ArrayList<>();
    int next = 0;
    for (; next < canary; next++) {
      plan.add(planned(chosen.get(next), 0, next));
    }
    int wave = 1;
    for (int percent : spec.waves().percents()) {
      int upTo = (int) Math.ceil(total * percent / 100.0);
      if (upTo <= next) {
        continue;
      }
      for (; next < upTo; next++) {
        plan.add(planned(chosen.get(next), wave, next));
      }
      wave++;
    }
    return plan;
  }

  private static PlannedNode planned(NodeRecord node, int wave, int position) {
    return new PlannedNode(
        node.getNodeId(),
        node.getHostname(),
        node.getAgentAddress(),
        wave,
        position,
        node.getLastStatus().getNode().getConfigVersion());
  }
}
