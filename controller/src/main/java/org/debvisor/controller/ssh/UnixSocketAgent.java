package org.debvisor.controller.ssh;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * Talks to a running ssh-agent over its Unix socket with plain Java (MINA's own client needs the
 * native APR library). MINA's {@link AbstractAgentProxy} encodes the requests (list identities,
 * sign) and decodes the answers; this class only carries the framed messages.
 */
final class UnixSocketAgent extends AbstractAgentProxy {

  /** Larger answers are refused: an agent's identity list is a few KiB. */
  private static final int MAX_MESSAGE = 256 * 1024;

  private final Path socket;
  private SocketChannel channel;

  UnixSocketAgent(Path socket) {
    super(null);
    this.socket = socket;
  }

  @Override
  protected synchronized Buffer request(Buffer buffer) throws IOException {
    if (channel == null) {
      try {
        channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        throw new IOException(
            "cannot reach the ssh-agent at "
                + socket
                + " ($SSH_AUTH_SOCK): "
                + e.getMessage()
                + " (start one with eval $(ssh-agent) and ssh-add, or unset SSH_AUTH_SOCK)",
            e);
      }
    }
    ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
    while (out.hasRemaining()) {
      channel.write(out);
    }
    ByteBuffer length = ByteBuffer.allocate(4);
    readFully(length);
    int size = length.flip().getInt();
    if (size <= 0 || size > MAX_MESSAGE) {
      throw new IOException("the ssh-agent at " + socket + " sent a message of " + size + " bytes");
    }
    ByteBuffer message = ByteBuffer.allocate(size);
    readFully(message);
    return new ByteArrayBuffer(message.array());
  }

  private void readFully(ByteBuffer into) throws IOException {
    while (into.hasRemaining()) {
      if (channel.read(into) < 0) {
        throw new IOException("the ssh-agent at " + socket + " closed the connection");
      }
    }
  }

  @Override
  public synchronized boolean isOpen() {
    return channel == null || channel.isOpen();
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
