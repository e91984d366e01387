package org.debvisor.sim;

/** Where a simulated agent is in its life. */
public enum AgentState {
  /** Created; not yet enrolled. */
  ENROLLING,
  /** Enrolled, heartbeating and serving debvisor.Node. */
  SERVING,
  /** Enrolment failed for good (e.g. the token was refused). */
  FAILED,
  /** Its server stopped (a fault or {@link SimAgent#kill()}); no heartbeats until revived. */
  DEAD,
  /** The fleet was closed. */
  STOPPED
}
