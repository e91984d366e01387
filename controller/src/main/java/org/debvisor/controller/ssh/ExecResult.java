package org.debvisor.controller.ssh;

/**
 * What a remote command did.
 *
 * @param command the command line as sent (never holds secrets: they go through files)
 * @param exitCode its exit status
 * @param stdout standard output, UTF-8
 * @param stderr standard error, UTF-8
 */
public record ExecResult(String command, int exitCode, String stdout, String stderr) {

  /** True when the command exited with 0. */
  public boolean ok() {
    return exitCode == 0;
  }

  /** This result, or an {@link SshException} with the command, exit code and stderr. */
  public ExecResult orThrow() throws SshException {
    if (!ok()) {
      throw new SshException(
          "remote command failed (exit " + exitCode + "): " + command + "\n" + stderr.strip());
    }
    return this;
  }
}
