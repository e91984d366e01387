package org.debvisor.controller.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Human monitor of a running QEMU on a unix socket: one command at a time, bounded waits. */
final class QemuMonitor implements AutoCloseable {

  private static final String PROMPT = "(qemu) ";
  private static final long POLL_MILLIS = 20;

  private final SocketChannel channel;
  private final Duration timeout;

  private QemuMonitor(SocketChannel channel, Duration timeout) {
    this.channel = channel;
    this.timeout = timeout;
  }

  /** Connects, retrying while QEMU has not created the socket yet, and reads the banner. */
  public static QemuMonitor connect(Path socket, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
          ch.connect(UnixDomainSocketAddress.of(socket));
          ch.configureBlocking(false);
          QemuMonitor monitor = new QemuMonitor(ch, timeout);
          monitor.readUntilPrompt();
          return monitor;
        } catch (IOException e) {
          ch.close();
          throw e;
        }
      } catch (IOException e) {
        last = e;
        sleep(200);
      }
    }
    throw new IOException("QEMU monitor " + socket + " did not answer within " + timeout, last);
  }

  /** Sends one command line; returns what QEMU answered before its next prompt. */
  public String command(String line) throws IOException {
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("monitor command must be one line");
    }
    ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (out.hasRemaining()) {
      if (channel.write(out) == 0) {
        if (System.nanoTime() > deadline) {
          throw new IOException("QEMU monitor did not accept " + line);
        }
        sleep(POLL_MILLIS);
      }
    }
    return readUntilPrompt();
  }

  private String readUntilPrompt() throws IOException {
    StringBuilder text = new StringBuilder();
    ByteBuffer buf = ByteBuffer.allocate(4096);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!text.toString().endsWith(PROMPT)) {
      buf.clear();
      int n = channel.read(buf);
      if (n < 0) {
        throw new IOException("QEMU monitor closed");
      }
      if (n == 0) {
        if (System.nanoTime() > deadline) {
          throw new IOException("QEMU monitor gave no prompt within " + timeout);
        }
        sleep(POLL_MILLIS);
        continue;
      }
      text.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
    }
    return text.substring(0, text.length() - PROMPT.length());
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
