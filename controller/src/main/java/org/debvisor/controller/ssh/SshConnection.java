package org.debvisor.controller.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.debvisor.common.error.Causes;

/** One authenticated SSH connection: remote commands and SFTP uploads. */
public final class SshConnection implements AutoCloseable {

  /** Output beyond this many bytes per stream is dropped (the head is kept). */
  private static final int MAX_OUTPUT = 1 << 20;

  private final SshTarget target;
  private final ClientSession session;
  private final String acceptedHostKeyLine;

  SshConnection(SshTarget target, ClientSession session, String acceptedHostKeyLine) {
    this.target = target;
    this.session = session;
    this.acceptedHostKeyLine = acceptedHostKeyLine;
  }

  public SshTarget target() {
    return target;
  }

  /** The known_hosts line written because the host was new and trusted on first use, or null. */
  public String acceptedHostKeyLine() {
    return acceptedHostKeyLine;
  }

  /**
   * Runs {@code command} through the login shell and waits for it.
   *
   * @throws SshException when the connection is lost or the command runs longer than {@code
   *     timeout} (it is then closed)
   */
  public ExecResult exec(String command, Duration timeout) throws SshException {
    ByteArrayOutputStream out = new CappedOutput();
    ByteArrayOutputStream err = new CappedOutput();
    try (ChannelExec channel = session.createExecChannel(command)) {
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(timeout);
      Set<ClientChannelEvent> events =
          channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
      if (events.contains(ClientChannelEvent.TIMEOUT)) {
        throw new CommandTimeoutException(
            "command on "
                + target
                + " did not finish within "
                + timeout.toSeconds()
                + " s: "
                + command);
      }
      Integer status = channel.getExitStatus();
      if (status == null) {
        if (!session.isOpen()) {
          throw lost(command, null);
        }
        String signal = channel.getExitSignal();
        status = signal == null ? 255 : 128;
        err.writeBytes(
            ("(no exit status" + (signal == null ? "" : ", killed by SIG" + signal) + ")")
                .getBytes(StandardCharsets.UTF_8));
      }
      return new ExecResult(
          command,
          status,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw lost(command, e);
    }
  }

  /**
   * Writes {@code in} to {@code remotePath} over SFTP (relative paths are under the login's home).
   *
   * @param progress told the number of bytes written so far, after each chunk
   */
  public void upload(InputStream in, String remotePath, LongConsumer progress) throws SshException {
    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
        OutputStream os = sftp.write(remotePath)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        os.write(buffer, 0, n);
        total += n;
        progress.accept(total);
      }
    } catch (IOException e) {
      throw lost("SFTP upload to " + remotePath, e);
    }
  }

  private SshException lost(String what, IOException e) {
    String why = e == null ? "closed" : Causes.rootMessage(e);
    if (!session.isOpen()) {
      return new SshException(
          "connection to " + target + " was lost during: " + what + " (" + why + ")", e);
    }
    return new SshException("SSH error on " + target + " during: " + what + " (" + why + ")", e);
  }

  /**
   * GETs {@code http://127.0.0.1:remotePort/path} as seen from the host, through a port forward.
   *
   * @return the HTTP status and body; status 0 when nothing answered on that port
   * @throws SshException when the host refuses forwarding
   */
  public HttpAnswer loopbackGet(int remotePort, String path, Duration timeout) throws SshException {
    LoopbackHttp.Answer a = new LoopbackHttp(session).get(remotePort, path, timeout);
    return new HttpAnswer(a.status(), a.body());
  }

  /**
   * Forwards a new port on this machine's loopback to {@code 127.0.0.1:remotePort} on the host.
   *
   * @throws SshException when the host refuses forwarding
   */
  public LocalForward forwardToLoopback(int remotePort) throws SshException {
    return LocalForward.open(session, remotePort);
  }

  /**
   * An HTTP answer read through the connection.
   *
   * @param status HTTP status, 0 when nothing answered
   * @param body the body, or why nothing answered
   */
  public record HttpAnswer(int status, String body) {}

  /** True while the connection is up. */
  public boolean isOpen() {
    return session.isOpen();
  }

  @Override
  public void close() {
    session.close(false);
  }

  /** Keeps the first {@link #MAX_OUTPUT} bytes. */
  private static final class CappedOutput extends ByteArrayOutputStream {
    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int room = MAX_OUTPUT - count;
      if (room > 0) {
        super.write(b, off, Math.min(room, len));
      }
    }

    @Override
    public synchronized void write(int b) {
      if (count < MAX_OUTPUT) {
        super.write(b);
      }
    }
  }
}
