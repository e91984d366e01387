package org.debvisor.sim;

import java.time.Duration;

/**
 * The faults one simulated agent shows now; replace them with {@link SimAgent#setFaults}.
 *
 * @param gateFails every UpdateConfig that would change the version ends ROLLED_BACK
 * @param applyDelayMin shortest time an UpdateConfig takes
 * @param applyDelayMax longest time an UpdateConfig takes
 * @param dropFraction share of this agent's calls answered with UNAVAILABLE (0..1)
 * @param diesMidApply the agent's server stops during its next changing UpdateConfig
 */
public record AgentFaults(
    boolean gateFails,
    Duration applyDelayMin,
    Duration applyDelayMax,
    double dropFraction,
    boolean diesMidApply) {

  public AgentFaults {
    // Same rules as the fleet-wide settings.
    new FaultSettings(0, applyDelayMin, applyDelayMax, dropFraction, 0);
  }

  /** No faults. */
  public static AgentFaults none() {
    return new AgentFaults(false, Duration.ZERO, Duration.ZERO, 0, false);
  }

  public AgentFaults withGateFails(boolean fails) {
    return new AgentFaults(fails, applyDelayMin, applyDelayMax, dropFraction, diesMidApply);
  }

  public AgentFaults withApplyDelay(Duration min, Duration max) {
    return new AgentFaults(gateFails, min, max, dropFraction, diesMidApply);
  }

  public AgentFaults withDropFraction(double fraction) {
    return new AgentFaults(gateFails, applyDelayMin, applyDelayMax, fraction, diesMidApply);
  }

  public AgentFaults withDiesMidApply(boolean dies) {
    return new AgentFaults(gateFails, applyDelayMin, applyDelayMax, dropFraction, dies);
  }
}
