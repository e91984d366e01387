package org.debvisor.controller.provision;

import java.time.Duration;
import org.debvisor.controller.ssh.SshException;

/**
 * The last step's question: has the node's agent come up healthy (and, with a controller,
 * enrolled)? {@link AgentProbe} asks the agent on the node through an SSH port forward, and the
 * controller whether the node enrolled.
 */
interface HealthProbe {

  /**
   * Waits until the node is healthy or {@code timeout} passes.
   *
   * @return a one-line description of the healthy node
   * @throws StepFailedException when it is not healthy in time, with the last answer
   */
  String awaitHealthy(NodeSession node, Duration timeout)
      throws SshException, StepFailedException, InterruptedException;
}
