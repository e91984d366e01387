package org.debvisor.agentapi;

/**
 * The operations HTTP endpoint ({@code /metrics}, {@code /healthz}, {@code /readyz}).
 *
 * @param listen {@code host:port}; empty disables the endpoint
 */
public record HttpSettings(String listen) {
  public static final String DEFAULT_LISTEN = "0.0.0.0:" + AgentPorts.OPS_HTTP;

  public HttpSettings {
    listen = listen == null ? DEFAULT_LISTEN : listen.strip();
  }

  /** True when the endpoint should run. */
  public boolean enabled() {
    return !listen.isEmpty();
  }
}
