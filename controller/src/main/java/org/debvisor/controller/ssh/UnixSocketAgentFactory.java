package org.debvisor.controller.ssh;

import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;

/**
 * Gives MINA's public-key authentication the keys of the ssh-agent at one socket; no forwarding.
 */
final class UnixSocketAgentFactory implements SshAgentFactory {

  private final Path socket;

  UnixSocketAgentFactory(Path socket) {
    this.socket = socket;
  }

  @Override
  public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
    return List.of();
  }

  @Override
  public SshAgent createClient(Session session, FactoryManager manager) {
    return new UnixSocketAgent(socket);
  }

  @Override
  public SshAgentServer createServer(ConnectionService service) {
    throw new UnsupportedOperationException("agent forwarding is not offered");
  }
}
