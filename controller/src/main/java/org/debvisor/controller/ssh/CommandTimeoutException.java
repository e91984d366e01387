package org.debvisor.controller.ssh;

/** A remote command ran longer than allowed; the connection itself is still usable. */
public final class CommandTimeoutException extends SshException {

  public CommandTimeoutException(String message) {
    super(message);
  }
}
