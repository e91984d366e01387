package org.debvisor.controller.rollout;

import java.util.List;

/** A rollout with its nodes, for status. */
public record RolloutView(Rollout rollout, List<RolloutNode> nodes) {

  public RolloutView {
    nodes = List.copyOf(nodes);
  }
}
