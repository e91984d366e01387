package org.debvisor.controller.mirror;

/** A step of fetching, verifying or assembling the installer failed; the message names what. */
public final class IsoBuildException extends Exception {

  public IsoBuildException(String message) {
    super(message);
  }

  public IsoBuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
