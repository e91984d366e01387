package org.debvisor.controller.inventory;

import java.time.Instant;

/**
 * A bootstrap token as stored: only the SHA-256 of its secret, never the secret. {@code nodeId} is
 * empty, or the one node id the token may enrol (and re-enrol).
 */
public record TokenRow(
    String id,
    String secretSha256,
    Instant createdAt,
    Instant expiresAt,
    String hostname,
    String profile,
    String cluster,
    String createdBy,
    Instant usedAt,
    String usedByNode,
    String nodeId) {

  public TokenRow {
    nodeId = nodeId == null ? "" : nodeId;
  }
}
