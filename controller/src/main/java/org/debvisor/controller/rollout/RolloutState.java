package org.debvisor.controller.rollout;

import java.util.Set;

/** Where a rollout is. Terminal states never change again. */
public enum RolloutState {
  /** Updating the nodes of the current wave, or waiting out its gate window. */
  RUNNING,
  /** Stopped by an operator between nodes; {@code resume} continues. */
  PAUSED,
  /** The canary passed its gate; {@code approve} starts the first wave. */
  AWAITING_APPROVAL,
  /** Restoring every changed node to its previous version, newest change first. */
  ROLLING_BACK,
  SUCCEEDED,
  ROLLED_BACK,
  /** Stopped for good by an operator; nodes stay as they are. */
  ABORTED;

  private static final Set<RolloutState> TERMINAL = Set.of(SUCCEEDED, ROLLED_BACK, ABORTED);

  public boolean terminal() {
    return TERMINAL.contains(this);
  }
}
