package org.debvisor.controller.provision;

import org.debvisor.controller.ssh.SshTarget;

/**
 * Where a host's bootstrap token comes from. Today a fixed token given by the operator; later one
 * minted per host by the controller's {@code CreateBootstrapToken}.
 */
@FunctionalInterface
public interface BootstrapTokens {

  /** The token for {@code host}; never logged. */
  String tokenFor(SshTarget host);
}
