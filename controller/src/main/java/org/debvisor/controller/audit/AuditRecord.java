package org.debvisor.controller.audit;

import java.time.Instant;

/** A stored audit entry with its position in the chain and the hashes that link it. */
public record AuditRecord(long seq, Instant at, AuditEntry entry, String prevHash, String hash) {}
