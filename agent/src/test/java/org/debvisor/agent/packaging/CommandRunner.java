package org.debvisor.agent.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external command with a time limit and captures its output. */
public final class CommandRunner {

  private final Path workDir;
  private final Duration timeout;

  public CommandRunner(Path workDir, Duration timeout) {
    this.workDir = workDir;
    this.timeout = timeout;
  }

  /** Runs the command with the test's own environment. */
  public CommandResult run(List<String> command) throws IOException, InterruptedException {
    return run(command, null);
  }

  /**
   * Runs the command.
   *
   * @param environment the whole environment of the command; null keeps the test's own
   */
  public CommandResult run(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "cmd", ".out");
    Path err = Files.createTempFile(workDir, "cmd", ".err");
    // Output goes to files so a chatty command can never block on a full pipe.
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    if (environment != null) {
      builder.environment().clear();
      builder.environment().putAll(environment);
    }
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(command + " did not finish within " + timeout);
    }
    return new CommandResult(
        command,
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Exit status and output of one finished command. */
  public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** Returns this result, or fails naming the command and its output. */
    public CommandResult requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(
            command + " exited with " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      return this;
    }
  }
}
