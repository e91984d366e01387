package org.debvisor.controller.rollout;

/**
 * The outcome of a wave's gate.
 *
 * @param reason empty when it passed
 * @param node the node that tripped it; empty for fleet-wide reasons or a pass
 */
public record GateVerdict(String reason, String node) {

  static final GateVerdict PASSED = new GateVerdict("", "");

  public boolean passed() {
    return reason.isEmpty();
  }
}
