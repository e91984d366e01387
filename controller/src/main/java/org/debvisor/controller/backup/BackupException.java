package org.debvisor.controller.backup;

/**
 * A backup or restore that did not happen, with what was wrong and what to do. {@link #badInput}
 * tells a refused input (a damaged backup, a wrong passphrase, a target in the way) from a failure
 * of the machine (disk full, I/O error), so the CLI can exit with 2 or 1.
 */
public final class BackupException extends Exception {

  private final boolean badInput;

  private BackupException(String message, boolean badInput, Throwable cause) {
    super(message, cause);
    this.badInput = badInput;
  }

  /** The input was refused; nothing was changed. */
  public static BackupException refused(String message) {
    return new BackupException(message, true, null);
  }

  /** The work failed part-way; what was written was removed again. */
  public static BackupException failed(String message, Throwable cause) {
    return new BackupException(message, false, cause);
  }

  public boolean badInput() {
    return badInput;
  }
}
