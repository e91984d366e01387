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
 * @param notOkToStop Ceph says this agent's OSDs must not stop (CheckOkToStop, asked of any agent
 *     of the fleet, answers not ok for them)
 */
public record AgentFaults(
    boolean gateFails,
    Duration applyDelayMin,
    Duration applyDelayMax,
    double dropFraction,
    boolean diesMidApply,
    boolean notOkToStop) {

  public AgentFaults {
    // Same rules as the fleet-wide settings.
    new FaultSettings(0, applyDelayMin, applyDelayMax, dropFraction, 0, 0);
  }

  /** No faults. */
  public static AgentFaults none() {
    return new AgentFaults(false, Duration.ZERO, Duration.ZERO, 0, false, false);
  }

  public AgentFaults withGateFails(boolean fails) {
    return new AgentFaults(
        fails, applyDelayMin, applyDelayMax, dropFraction, diesMidApply, notOkToStop);
  }

  public AgentFaults withApplyDelay(Duration min, Duration max) {
    return new AgentFaults(gateFails, min, max, dropFraction, diesMidApply, notOkToStop);
  }

  public AgentFaults withDropFraction(double fraction) {
    return new AgentFaults(
        gateFails, applyDelayMin, applyDelayMax, fraction, diesMidApply, notOkToStop);
  }

  public AgentFaults withNotOkToStop(boolean refused) {
    return new AgentFaults(
        gateFails, applyDelayMin, applyDelayMax, dropFraction, diesMidApply, refused);
  }

  public AgentFaults withDiesMidApply(boolean dies) {
    return new AgentFaults(
        gateFails, applyDelayMin, applyDelayMax, dropFraction, dies, notOkToStop);
  }
}
