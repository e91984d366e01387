package org.debvisor.common.auth;

/**
 * One operator's bearer token as a node knows it.
 *
 * @param name who holds it; shown in logs and configuration history
 * @param sha256 lower-case hex SHA-256 of the token; the token itself is never stored
 */
public record OperatorToken(String name, String sha256) {}
