package org.debvisor.controller.rollout;

import java.time.Instant;

/**
 * One node of a rollout as stored.
 *
 * @param healthBefore the node's HealthState number before the update (0 when not read yet)
 * @param changeSeq order of the update among the rollout's nodes (0 before it is sent)
 */
public record RolloutNode(
    String rolloutId,
    String nodeId,
    String hostname,
    int wave,
    int position,
    NodeRolloutState state,
    String previousVersion,
    int healthBefore,
    long changeSeq,
    int attempts,
    String reason,
    Instant updatedAt) {}
