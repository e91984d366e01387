package org.debvisor.controller.node;

/**
 * How the installed node's agent finds and enrols with the controller.
 *
 * @param controller controller address {@code host:port} ({@code [v6]:port} for IPv6)
 * @param caFingerprint SHA-256 fingerprint of the controller's CA certificate: 64 hex digits,
 *     optionally in colon-separated pairs
 * @param token single-use bootstrap token ({@code A-Z a-z 0-9 . _ -}, 16 to 256 characters)
 */
public record AgentEnrolment(String controller, String caFingerprint, String token) {}
