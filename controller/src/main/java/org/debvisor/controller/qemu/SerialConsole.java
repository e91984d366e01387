package org.debvisor.controller.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Keyboard side of a guest's serial console (QEMU logs the output itself). Output is read and
 * dropped by a daemon thread so that the guest never blocks on a full socket.
 */
final class SerialConsole implements AutoCloseable {

  private final SocketChannel channel;
  private final Thread drain;

  private SerialConsole(SocketChannel channel) {
    this.channel = channel;
    this.drain = Thread.ofPlatform().daemon().name("serial-drain").start(this::drainOutput);
  }

  /** Connects to QEMU's serial socket, retrying for up to {@code timeout}. */
  static SerialConsole connect(Path socket, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new SerialConsole(ch);
      } catch (IOException e) {
        ch.close();
        last = e;
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", ie);
        }
      }
    }
    throw new IOException("serial console " + socket + " not available within " + timeout, last);
  }

  /** Types {@code bytes} into the console. */
  void type(byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }

  private void drainOutput() {
    ByteBuffer buf = ByteBuffer.allocate(8192);
    try {
      while (channel.read(buf.clear()) >= 0) {
        // QEMU's logfile has the output.
      }
    } catch (IOException e) {
      // closed: nothing left to drain
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
    try {
      drain.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
