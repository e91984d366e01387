package org.debvisor.agentapi;

/** The ports an agent serves on by default; the controller dials them on every node. */
public final class AgentPorts {

  /** gRPC ({@code debvisor.Node}, health, reflection). */
  public static final int GRPC = 5000;

  /** Operations HTTP: {@code /metrics}, {@code /healthz}, {@code /readyz}. */
  public static final int OPS_HTTP = 9500;

  private AgentPorts() {}
}
