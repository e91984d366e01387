package org.debvisor.controller.ssh;

import java.io.IOException;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.debvisor.common.error.Causes;

/**
 * A port on this machine's loopback that reaches a port on the remote host's loopback through the
 * SSH connection, e.g. to call an agent that only listens on 127.0.0.1 there. Close to stop it.
 */
public final class LocalForward implements AutoCloseable {

  private final ClientSession session;
  private final SshdSocketAddress local;

  private LocalForward(ClientSession session, SshdSocketAddress local) {
    this.session = session;
    this.local = local;
  }

  static LocalForward open(ClientSession session, int remotePort) throws SshException {
    try {
      return new LocalForward(
          session,
          session.startLocalPortForwarding(
              new SshdSocketAddress("127.0.0.1", 0),
              new SshdSocketAddress("127.0.0.1", remotePort)));
    } catch (IOException e) {
      throw new SshException(
          "the host refused port forwarding to its port "
              + remotePort
              + " ("
              + Causes.rootMessage(e)
              + ")",
          e);
    }
  }

  /** The local port (on 127.0.0.1). */
  public int localPort() {
    return local.getPort();
  }

  @Override
  public void close() {
    try {
      session.stopLocalPortForwarding(local);
    } catch (IOException e) {
      // The forward dies with the session anyway.
    }
  }
}
