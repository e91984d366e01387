package org.debvisor.controller.ssh;

import java.time.Duration;

/**
 * Runs POSIX shell scripts on a host as root: directly when the login is root, else through
 * passwordless {@code sudo -n}.
 */
public final class RemoteShell {

  private final SshConnection connection;
  private final boolean sudo;
  private final Duration defaultTimeout;

  public RemoteShell(SshConnection connection, boolean sudo, Duration defaultTimeout) {
    this.connection = connection;
    this.sudo = sudo;
    this.defaultTimeout = defaultTimeout;
  }

  public SshConnection connection() {
    return connection;
  }

  /** True when commands go through sudo. */
  public boolean sudo() {
    return sudo;
  }

  /** Runs {@code script} with {@code sh -c} as root, within the default timeout. */
  public ExecResult run(String script) throws SshException {
    return run(script, defaultTimeout);
  }

  /** Runs {@code script} with {@code sh -c} as root. */
  public ExecResult run(String script, Duration timeout) throws SshException {
    String command = (sudo ? "sudo -n " : "") + "sh -c " + ShellWords.quote(script);
    return connection.exec(command, timeout);
  }
}
