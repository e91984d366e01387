package org.debvisor.sim;

import java.util.Map;

/**
 * A snapshot of a simulated fleet.
 *
 * @param agents how many agents the fleet has
 * @param byState agents per state
 * @param applied UpdateConfig calls that changed the version
 * @param unchanged UpdateConfig calls for the version already active
 * @param rolledBack UpdateConfig calls whose gate failed
 * @param conflicts UpdateConfig calls refused with FAILED_PRECONDITION
 * @param dropped calls answered UNAVAILABLE by the drop fault
 * @param died agents whose server stopped mid-apply
 * @param heartbeats heartbeats the controller accepted
 * @param heartbeatFailures heartbeats that failed
 */
public record SimSummary(
    int agents,
    Map<AgentState, Integer> byState,
    long applied,
    long unchanged,
    long rolledBack,
    long conflicts,
    long dropped,
    long died,
    long heartbeats,
    long heartbeatFailures) {

  public SimSummary {
    byState = Map.copyOf(byState);
  }

  public int count(AgentState state) {
    return byState.getOrDefault(state, 0);
  }

  /** One line, e.g. for the end of {@code debvisor sim}. */
  public String line() {
    return String.format(
        "agents %d: serving %d, enrolling %d, dead %d, failed %d | updates: applied %d, unchanged"
            + " %d, rolled back %d, conflicts %d | dropped calls %d, died mid-apply %d |"
            + " heartbeats %d ok, %d failed",
        agents,
        count(AgentState.SERVING),
        count(AgentState.ENROLLING),
        count(AgentState.DEAD),
        count(AgentState.FAILED),
        applied,
        unchanged,
        rolledBack,
        conflicts,
        dropped,
        died,
        heartbeats,
        heartbeatFailures);
  }
}
