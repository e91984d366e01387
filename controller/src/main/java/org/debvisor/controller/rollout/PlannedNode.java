package org.debvisor.controller.rollout;

/**
 * One node's place in a rollout plan.
 *
 * @param wave 0 for the canary, then 1, 2, ...
 * @param position order of the node in the whole plan
 * @param previousVersion the configuration version the node reported last; sent as
 *     expected_current_version
 */
public record PlannedNode(
    String nodeId,
    String hostname,
    String agentAddress,
    int wave,
    int position,
    String previousVersion) {}
