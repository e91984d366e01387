package org.debvisor.controller.rollout;

/** Where one node of a rollout is. */
public enum NodeRolloutState {
  /** Not touched yet. */
  PENDING,
  /** UpdateConfig was (or is about to be) sent; the outcome is not recorded yet. */
  UPDATING,
  /** The agent applied the bundle and its own gate passed. */
  UPDATED,
  /** The agent refused the bundle or its gate failed (the agent restored the previous version). */
  FAILED,
  /** No answer after the bounded retries: the node may or may not have the new version. */
  UNREACHABLE,
  /** The previous bundle was (or is about to be) re-sent. */
  ROLLING_BACK,
  ROLLED_BACK,
  /** The rollback could not restore the previous version; the reason says why. */
  ROLLBACK_FAILED,
  /** The node had no bundle the controller could re-send; it keeps the new version. */
  KEPT;

  /** True when a rollback has to look at this node: it may carry the rollout's version. */
  public boolean mayBeChanged() {
    return this == UPDATING || this == UPDATED || this == UNREACHABLE || this == ROLLING_BACK;
  }

  /** True when the node counts against --max-failures. */
  public boolean failed() {
    return this == FAILED || this == UNREACHABLE;
  }
}
