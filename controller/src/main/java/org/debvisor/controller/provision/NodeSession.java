package org.debvisor.controller.provision;

import org.debvisor.controller.ssh.RemoteFiles;
import org.debvisor.controller.ssh.RemoteShell;
import org.debvisor.controller.ssh.SshConnection;
import org.debvisor.controller.ssh.SshTarget;

/**
 * One host being provisioned: its connection, what preflight found, and what earlier steps changed
 * (so "start" knows whether to restart the agent).
 */
final class NodeSession {

  /** Where the agent package is kept on the host. */
  public static final String REMOTE_DEB = "/var/cache/debvisor/debvisor-agent.deb";

  /** Provisioner's own records on the host (e.g. the SHA-256 of the installed .deb). */
  public static final String STATE_DIR = "/var/lib/debvisor-provision";

  private final SshConnection connection;
  private final ProvisionPlan plan;
  private final ProgressListener listener;
  private RemoteShell shell;
  private RemoteFiles files;
  private NodeFacts facts;
  private boolean agentChanged;
  private boolean configChanged;

  NodeSession(SshConnection connection, ProvisionPlan plan, ProgressListener listener) {
    this.connection = connection;
    this.plan = plan;
    this.listener = listener;
  }

  public SshConnection connection() {
    return connection;
  }

  public SshTarget target() {
    return connection.target();
  }

  public ProvisionPlan plan() {
    return plan;
  }

  /** Root shell on the host; available after preflight. */
  public RemoteShell shell() {
    if (shell == null) {
      throw new IllegalStateException("preflight has not run");
    }
    return shell;
  }

  /** Atomic file installer on the host; available after preflight. */
  public RemoteFiles files() {
    if (files == null) {
      throw new IllegalStateException("preflight has not run");
    }
    return files;
  }

  public NodeFacts facts() {
    return facts;
  }

  void learnt(NodeFacts facts, RemoteShell shell) {
    this.facts = facts;
    this.shell = shell;
    this.files = new RemoteFiles(shell, bytes -> listener.uploaded(target(), bytes));
  }

  /** The installed agent package changed in this run. */
  public boolean agentChanged() {
    return agentChanged;
  }

  void markAgentChanged() {
    agentChanged = true;
  }

  /** The agent's configuration (or what it reads: CA, token) changed in this run. */
  public boolean configChanged() {
    return configChanged;
  }

  void markConfigChanged() {
    configChanged = true;
  }
}
