package org.debvisor.controller.vulnscan;

/** An SBOM or feed that cannot be read; the message names the file and what is wrong. */
public final class ScanException extends Exception {

  public ScanException(String message) {
    super(message);
  }

  public ScanException(String message, Throwable cause) {
    super(message, cause);
  }
}
