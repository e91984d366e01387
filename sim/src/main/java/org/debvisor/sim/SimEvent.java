package org.debvisor.sim;

import java.time.Instant;

/**
 * A state change of one simulated agent, for summary lines and tests.
 *
 * @param at when it happened
 * @param nodeId the agent
 * @param state its new state
 * @param detail why, e.g. the controller's refusal
 */
public record SimEvent(Instant at, String nodeId, AgentState state, String detail) {}
