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

  private AgentConfig() {}

  /**
   * @param profile role profile name
   * @param controllerAddress host:port, or null for an agent that does not enrol
   * @param withCa true when a CA file is installed
   */
  public static String render(String profile, String controllerAddress, boolean withCa) {
    StringBuilder b = new StringBuilder();
    b.append("# Written by debvisor-provision-node (profile ")
        .append(profile)
        .append("). The next provisioning run\n")
        .append("# overwrites changes; keys not listed take the defaults from debvisor-agent(1).\n")
        .append("logging:\n")
        .append("  format: json\n");
    if (controllerAddress != null) {
      b.append("enrolment:\n")
          .append("  controller: ")
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
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
