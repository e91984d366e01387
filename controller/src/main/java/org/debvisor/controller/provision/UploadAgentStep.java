package org.debvisor.controller.provision;

import org.debvisor.controller.ssh.SshException;

/** Puts the agent's .deb in /var/cache/debvisor (skipped when the same file is there). */
final class UploadAgentStep implements ProvisionStep {

  @Override
  public String name() {
    return "upload-agent";
  }

  @Override
  public StepOutcome run(NodeSession node) throws SshException {
    boolean changed = node.files().put(node.plan().agentDeb(), NodeSession.REMOTE_DEB, "0644");
    String name = node.plan().agentDeb().getFileName().toString();
    return changed
        ? StepOutcome.changed("uploaded " + name + " to " + NodeSession.REMOTE_DEB)
        : StepOutcome.unchanged(name + " already on the host");
  }
}
