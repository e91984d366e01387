package org.debvisor.agentapi;

import java.util.List;

/**
 * Who may change this node's configuration.
 *
 * @param tokens operators' bearer tokens, stored as SHA-256 hashes
 * @param controllerNames certificate common names of controllers allowed over mutual TLS; by
 *     default {@value #DEFAULT_CONTROLLER_NAME}, the name the DebVisor controller's client
 *     certificate has
 */
public record AuthSettings(List<TokenSettings> tokens, List<String> controllerNames) {

  public static final String DEFAULT_CONTROLLER_NAME = "debvisor-controller";

  public AuthSettings {
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
    controllerNames =
        controllerNames == null ? List.of(DEFAULT_CONTROLLER_NAME) : List.copyOf(controllerNames);
  }

  /**
   * One operator token.
   *
   * @param name who holds it; shown in logs and configuration history
   * @param sha256 lower-case hex SHA-256 of the token; the token itself is never stored
   */
  public record TokenSettings(String name, String sha256) {}
}
