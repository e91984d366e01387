package org.debvisor.controller.provision;

import org.debvisor.controller.ssh.SshTarget;

/**
 * Where a host's bootstrap token comes from: a fixed token given by the operator, or one minted per
 * host by the controller's {@code CreateBootstrapToken}.
 */
@FunctionalInterface
public interface BootstrapTokens {

  /**
   * The token for {@code host}; never logged.
   *
   * @throws StepFailedException when no token can be had (e.g. the controller refused to mint one)
   */
  String tokenFor(SshTarget host) throws StepFailedException;
}
