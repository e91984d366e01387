package org.debvisor.controller.provision;

import org.debvisor.controller.ssh.SshException;

/** One idempotent provisioning step: it checks first and changes only what differs. */
interface ProvisionStep {

  /** Short name shown in progress and summaries, e.g. "install". */
  String name();

  /** Brings the host to this step's target state. */
  StepOutcome run(NodeSession node) throws SshException, StepFailedException;
}
