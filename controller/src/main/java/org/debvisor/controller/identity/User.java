package org.debvisor.controller.identity;

import java.time.Instant;

/** An operator account as stored; {@code passwordHash} never leaves the identity package's API. */
public record User(
    String name, Role role, String passwordHash, Instant createdAt, Instant passwordChangedAt) {}
