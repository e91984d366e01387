package org.debvisor.controller.inventory;

import java.time.Instant;

/**
 * A controller that uses this database: its id, where it serves, when it started and last showed.
 */
public record MemberRow(String id, String address, Instant startedAt, Instant seenAt) {}
