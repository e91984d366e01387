package org.debvisor.controller.provision;

import org.debvisor.controller.ssh.SshException;

/** Waits until the {@link HealthProbe} says the node is healthy. Changes nothing. */
final class WaitHealthyStep implements ProvisionStep {

  @Override
  public String name() {
    return "wait-healthy";
  }

  @Override
  public StepOutcome run(NodeSession node) throws SshException, StepFailedException {
    try {
      return StepOutcome.unchanged(
          node.plan().probe().awaitHealthy(node, node.plan().healthTimeout()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailedException("interrupted while waiting for the agent", "");
    }
  }
}
