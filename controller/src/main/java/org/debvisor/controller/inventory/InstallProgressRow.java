package org.debvisor.controller.inventory;

import java.time.Instant;

/**
 * The install of one machine as its installer last reported it, keyed by the bootstrap token it
 * authenticates with. {@code message} is the latest report's text (the failure reason when {@code
 * phase} is "failed"); {@code reports} counts the reports accepted so far; {@code cluster} and
 * {@code profile} are the token's.
 */
public record InstallProgressRow(
    String tokenId,
    String hostname,
    String arch,
    String cluster,
    String profile,
    String phase,
    String message,
    String source,
    Instant startedAt,
    Instant updatedAt,
    int reports) {}
