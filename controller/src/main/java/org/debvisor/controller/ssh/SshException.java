package org.debvisor.controller.ssh;

/** An SSH operation failed; the message says what, where and what to do. */
public class SshException extends Exception {

  public SshException(String message) {
    super(message);
  }

  public SshException(String message, Throwable cause) {
    super(message, cause);
  }
}
