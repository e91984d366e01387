package org.debvisor.controller.identity;

import java.time.Instant;

/** A browser session as stored: the hash of its cookie value, never the value. */
public record SessionRow(
    String idHash,
    String userName,
    String csrfToken,
    Instant createdAt,
    Instant lastSeen,
    String source) {}
