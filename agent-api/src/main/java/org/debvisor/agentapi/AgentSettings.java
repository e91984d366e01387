package org.debvisor.agentapi;

/**
 * Everything in {@code /etc/debvisor/agent.yaml} ({@link AgentPaths#CONFIG_FILE}); absent sections
 * take their defaults.
 */
public record AgentSettings(
    NodeSettings node,
    GrpcSettings grpc,
    HttpSettings http,
    CollectorsSettings collectors,
    LoggingSettings logging,
    ConfigSettings config,
    AuthSettings auth,
    RateLimitSettings rateLimits,
    ControllerSettings controller) {

  public AgentSettings {
    node = node == null ? new NodeSettings(null, null) : node;
    grpc = grpc == null ? new GrpcSettings(null, null, null, null) : grpc;
    http = http == null ? new HttpSettings(null) : http;
    collectors = collectors == null ? new CollectorsSettings(null, null, null, null) : collectors;
    logging = logging == null ? new LoggingSettings(null, null) : logging;
    config = config == null ? ConfigSettings.defaults() : config;
    auth = auth == null ? new AuthSettings(null, null) : auth;
    rateLimits = rateLimits == null ? new RateLimitSettings(null, null, null, null) : rateLimits;
    controller = controller == null ? ControllerSettings.defaults() : controller;
  }

  /** Settings without enrolment (no controller). */
  public AgentSettings(
      NodeSettings node,
      GrpcSettings grpc,
      HttpSettings http,
      CollectorsSettings collectors,
      LoggingSettings logging,
      ConfigSettings config,
      AuthSettings auth,
      RateLimitSettings rateLimits) {
    this(node, grpc, http, collectors, logging, config, auth, rateLimits, null);
  }

  /** Settings with defaults for configuration updates, authorisation, rate limits, controller. */
  public AgentSettings(
      NodeSettings node,
      GrpcSettings grpc,
      HttpSettings http,
      CollectorsSettings collectors,
      LoggingSettings logging) {
    this(node, grpc, http, collectors, logging, null, null, null, null);
  }

  /** The settings an agent runs with when the file says nothing. */
  public static AgentSettings defaults() {
    return new AgentSettings(null, null, null, null, null, null, null, null, null);
  }
}
