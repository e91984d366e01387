package org.debvisor.controller.inventory;

import java.time.Instant;

/** A certificate the CA issued to a node. */
public record CertificateRow(
    String serial, String nodeId, Instant issuedAt, Instant notAfter, Instant revokedAt) {}
