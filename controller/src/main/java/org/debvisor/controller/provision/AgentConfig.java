package org.debvisor.controller.provision;

import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.AgentYamlWriter;
import org.debvisor.agentapi.ControllerSettings;
import org.debvisor.agentapi.GrpcSettings;

/**
 * The {@code /etc/debvisor/agent.yaml} the provisioner installs. It sets only what provisioning
 * decides; every other key keeps the agent's default. The enrolment section names the controller
 * and the profile; the pinned CA and the token file (never the token itself) are at the agent's
 * default places.
 */
public final class AgentConfig {

  private AgentConfig() {}

  /**
   * @param profile role profile name
   * @param controllerAddress host:port, or null for an agent that does not enrol
   * @param nodeAddress the node's own address; with a controller the agent also serves mutual TLS
   *     there (loopback stays plaintext for local grpcurl); "" for loopback only
   */
  public static AgentSettings settings(
      String profile, String controllerAddress, String nodeAddress) {
    if (controllerAddress == null) {
      return AgentSettings.defaults();
    }
    return new AgentSettings(
        null,
        GrpcSettings.servingOn(nodeAddress),
        null,
        null,
        null,
        null,
        null,
        null,
        ControllerSettings.enrolling(controllerAddress, profile));
  }

  /** The file's text for {@link #settings}. */
  public static String render(String profile, String controllerAddress, String nodeAddress) {
    return new AgentYamlWriter()
        .write(
            settings(profile, controllerAddress, nodeAddress),
            "Written by debvisor-provision-node (profile "
                + profile
                + "). The next provisioning run",
            "overwrites changes; keys not listed take the defaults from debvisor-agent(1).");
  }
}
