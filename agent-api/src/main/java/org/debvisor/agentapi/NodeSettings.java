package org.debvisor.agentapi;

/**
 * Identity overrides.
 *
 * @param id node id; empty means {@code /etc/machine-id}
 * @param hostname reported hostname; empty means the system's
 */
public record NodeSettings(String id, String hostname) {
  public NodeSettings {
    id = id == null ? "" : id.strip();
    hostname = hostname == null ? "" : hostname.strip();
  }
}
