package org.debvisor.controller.provision;

import java.nio.file.Path;
import java.time.Duration;
import org.debvisor.controller.node.Profile;

/**
 * What every host gets.
 *
 * @param profile the role profile (packages, sysctl, modules)
 * @param agentDeb the agent's .deb on this machine
 * @param controllerAddress host:port the agent enrols with, or null for a standalone agent
 * @param caFile the controller's CA certificate (PEM) the agent pins, or null
 * @param tokens bootstrap tokens, or null when no controller is given
 * @param probe how the last step decides the node is healthy
 * @param commandTimeout limit for ordinary remote commands
 * @param installTimeout limit for apt-get and dpkg
 * @param healthTimeout how long to wait for the agent to become healthy
 */
record ProvisionPlan(
    Profile profile,
    Path agentDeb,
    String controllerAddress,
    Path caFile,
    BootstrapTokens tokens,
    HealthProbe probe,
    Duration commandTimeout,
    Duration installTimeout,
    Duration healthTimeout) {

  /** True when the agent should enrol with a controller. */
  public boolean enrols() {
    return controllerAddress != null;
  }
}
