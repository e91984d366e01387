package org.debvisor.controller.inventory;

import java.time.Instant;

/**
 * One node as stored: identity, cluster, enrolment, current certificate, and the last status and
 * facts as protobuf bytes (null until reported).
 */
public record NodeRow(
    String id,
    String hostname,
    String profile,
    String cluster,
    String arch,
    String agentAddress,
    String agentVersion,
    NodeState state,
    Instant enrolledAt,
    Instant lastSeen,
    String certSerial,
    Instant certNotAfter,
    byte[] lastStatus,
    byte[] facts,
    String factsFingerprint,
    Instant revokedAt,
    String revokedReason) {}
