package org.debvisor.controller.install;

/** An image directory that cannot be used for media; the message says what to do. */
public final class InstallImageException extends Exception {
  public InstallImageException(String message) {
    super(message);
  }
}
