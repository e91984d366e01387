package org.debvisor.controller.rollout;

import java.time.Duration;
import java.time.Instant;

/**
 * A rollout as stored.
 *
 * @param currentWave the wave being updated or gated (0 is the canary)
 * @param gateUntil when set, the current wave is updated and its gate decides at this time
 * @param reason why it rolled back or was aborted; empty otherwise
 * @param trippingNode the node whose failure started the rollback; empty when none
 */
public record Rollout(
    String id,
    String name,
    String cluster,
    RolloutState state,
    String selector,
    String bundleVersion,
    int canary,
    WavePlan waves,
    int maxUnavailable,
    int maxFailures,
    Duration gateWindow,
    boolean approveAfterCanary,
    int currentWave,
    Instant gateUntil,
    String reason,
    String trippingNode,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    Instant finishedAt) {}
