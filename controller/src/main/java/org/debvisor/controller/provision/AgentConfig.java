package org.debvisor.controller.provision;

/**
 * Renders the {@code /etc/debvisor/agent.yaml} the provisioner installs. It sets only what
 * provisioning decides; every other key keeps the agent's default. The enrolment section names the
 * controller, the pinned CA and the token file (never the token itself).
 */
public final class AgentConfig {

  /** Paths on the node. */
  public static final String CONFIG_FILE = "/etc/debvisor/agent.yaml";

  public static final String CA_FILE = "/etc/debvisor/controller-ca.pem";
  public static final String TOKEN_FILE = "/etc/debvisor/bootstrap-token";
  public static final String PROFILE_FILE = "/etc/debvisor/profile";

  /** The certificate the agent stores once it has enrolled (agent's controller.stateDir). */
  public static final String NODE_CERT = "/var/lib/debvisor/pki/node.pem";

  /** The agent's operations HTTP port (/readyz), its default, which agent.yaml keeps. */
  public static final int HTTP_PORT = 9500;

  /** The agent's gRPC port. */
  public static final int GRPC_PORT = 5000;

  private AgentConfig() {}

  /**
   * @param profile role profile name
   * @param controllerAddress host:port, or null for an agent that does not enrol
   * @param withCa true when a CA file is installed
   * @param nodeAddress the node's own address; with a controller the agent also serves mutual TLS
   *     there (loopback stays plaintext for local grpcurl); "" for loopback only
   */
  public static String render(
      String profile, String controllerAddress, boolean withCa, String nodeAddress) {
    StringBuilder b = new StringBuilder();
    b.append("# Written by debvisor-provision-node (profile ")
        .append(profile)
        .append("). The next provisioning run\n")
        .append("# overwrites changes; keys not listed take the defaults from debvisor-agent(1).\n")
        .append("logging:\n")
        .append("  format: json\n");
    if (controllerAddress != null) {
      if (!nodeAddress.isEmpty()) {
        String host = nodeAddress.contains(":") ? "[" + nodeAddress + "]" : nodeAddress;
        b.append("grpc:\n")
            .append("  listen:\n")
            .append("    - \"127.0.0.1:")
            .append(GRPC_PORT)
            .append("\"\n")
            .append("    - ")
            .append(yamlString(host + ":" + GRPC_PORT))
            .append('\n');
      }
      b.append("controller:\n")
          .append("  address: ")
          .append(yamlString(controllerAddress))
          .append('\n');
      if (withCa) {
        b.append("  caFile: ").append(CA_FILE).append('\n');
      }
      b.append("  tokenFile: ")
          .append(TOKEN_FILE)
          .append('\n')
          .append("  profile: ")
          .append(yamlString(profile))
          .append('\n');
    }
    return b.toString();
  }

  /** A double-quoted YAML scalar. */
  static String yamlString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
