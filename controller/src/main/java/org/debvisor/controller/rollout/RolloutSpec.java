package org.debvisor.controller.rollout;

import java.time.Duration;
import org.debvisor.proto.ConfigBundle;

/**
 * What an operator asked for.
 *
 * @param name label shown in listings; the bundle version when empty
 * @param selector node selector as {@code nodes list} takes it
 * @param canary nodes updated first, alone, before the first wave (0 for none)
 * @param waves cumulative wave sizes
 * @param maxUnavailable most nodes updated at the same time
 * @param maxFailures failed nodes tolerated before the rollout rolls back
 * @param gateWindow how long the controller watches a finished wave before its gate decides
 * @param approveAfterCanary wait for {@code approve} after the canary's gate passed
 * @param bundle what every selected node gets
 */
public record RolloutSpec(
    String name,
    String selector,
    int canary,
    WavePlan waves,
    int maxUnavailable,
    int maxFailures,
    Duration gateWindow,
    boolean approveAfterCanary,
    ConfigBundle bundle) {

  static final Duration MAX_GATE_WINDOW = Duration.ofHours(1);

  /**
   * @throws RolloutRefusedException for the first bad field
   */
  public void validate() {
    if (canary < 0) {
      throw RolloutRefusedException.invalid("canary", "is " + canary + "; give 0 or more nodes");
    }
    if (maxUnavailable <= 0) {
      throw RolloutRefusedException.invalid(
          "max_unavailable",
          "is " + maxUnavailable + "; at least 1 node must be updated at a time");
    }
    if (maxFailures < 0) {
      throw RolloutRefusedException.invalid(
          "max_failures", "is " + maxFailures + "; give 0 (any failure rolls back) or more");
    }
    if (gateWindow.isNegative() || gateWindow.compareTo(MAX_GATE_WINDOW) > 0) {
      throw RolloutRefusedException.invalid(
          "gate_window", "is " + gateWindow + "; give 0 s to 1 h");
    }
    if (name.length() > 64 || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw RolloutRefusedException.invalid(
          "name", "must be at most 64 printable ASCII characters");
    }
  }
}
