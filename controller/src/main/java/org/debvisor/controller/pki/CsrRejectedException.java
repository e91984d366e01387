package org.debvisor.controller.pki;

/** A certificate signing request that cannot be signed; the message says why. */
public final class CsrRejectedException extends Exception {

  public CsrRejectedException(String message) {
    super(message);
  }

  public CsrRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
