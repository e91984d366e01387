package org.debvisor.controller.provision;

/** A step found the host unfit or a command failed; carries the remote stderr when there is one. */
public final class StepFailedException extends Exception {

  private final String stderr;

  public StepFailedException(String message, String stderr) {
    super(message);
    this.stderr = stderr == null ? "" : stderr.strip();
  }

  /** The failing command's standard error ("" when none). */
  public String stderr() {
    return stderr;
  }
}
