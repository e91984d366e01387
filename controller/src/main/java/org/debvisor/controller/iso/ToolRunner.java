package org.debvisor.controller.iso;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.debvisor.common.digest.Sha256;
import org.debvisor.common.process.Command;
import org.debvisor.common.process.Outcome;
import org.debvisor.common.process.ProcessRunner;
import org.debvisor.controller.mirror.IsoBuildException;

/** Runs the ISO tools with a fixed, reproducible environment; failures carry their output. */
public final class ToolRunner {

  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final ProcessRunner processes = new ProcessRunner();
  private final Map<String, String> environment;

  /**
   * @param sourceDateEpoch exported as SOURCE_DATE_EPOCH to every tool
   */
  public ToolRunner(long sourceDateEpoch) {
    this.environment =
        Map.of("SOURCE_DATE_EPOCH", Long.toString(sourceDateEpoch), "LC_ALL", "C", "TZ", "UTC");
  }

  /** Runs {@code argv} in {@code workDir}. */
  public void run(List<String> argv, Path workDir) throws IsoBuildException {
    Command command = Command.of(argv, TIMEOUT).in(workDir).withEnvironment(environment);
    Outcome outcome;
    try {
      outcome = processes.run(command);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IsoBuildException(command.program() + " interrupted", e);
    }
    if (!outcome.succeeded()) {
      throw new IsoBuildException(
          outcome.problem(command) + "\n  command: " + String.join(" ", argv));
    }
  }

  /**
   * Runs {@code argv}, which writes its result to standard output, into {@code target} and returns
   * the SHA-256 of what it wrote: hashed on the way, not read back. For a warm JVM (the
   * controller), whose hashing keeps up with the tool; in a fresh one the hashing runs in the
   * interpreter, slower than the tool, which then waits on the full pipe. Standard error goes to
   * {@code <program>.log} in {@code workDir}; its last lines are in the error when the tool fails.
   */
  public String runInto(List<String> argv, Path workDir, Path target) throws IsoBuildException {
    String program = Path.of(argv.get(0)).getFileName().toString();
    Path log = workDir.resolve(program + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(argv).directory(workDir.toFile()).redirectError(log.toFile());
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IsoBuildException(
          "cannot run " + program + " (is it installed?): " + e.getMessage(), e);
    }
    // A tool that hangs with its output open is killed at the limit, which ends the read below.
    AtomicBoolean overran = new AtomicBoolean();
    process
        .onExit()
        .completeOnTimeout(null, TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .thenAccept(
            exited -> {
              if (exited == null) {
                overran.set(true);
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
              }
            });
    MessageDigest digest = Sha256.digest();
    try (InputStream in = process.getInputStream();
        OutputStream out = Files.newOutputStream(target)) {
      byte[] buffer = new byte[1 << 17];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
      int exit = process.waitFor();
      if (overran.get()) {
        throw failure(
            program + " did not finish within " + TIMEOUT.toMinutes() + " min", log, argv);
      }
      if (exit != 0) {
        throw failure(program + " failed (exit " + exit + ")", log, argv);
      }
    } catch (IOException e) {
      process.destroyForcibly();
      throw new IsoBuildException("cannot write " + target + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IsoBuildException(program + " interrupted", e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static IsoBuildException failure(String what, Path log, List<String> argv) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      lines = List.of();
    }
    List<String> last = lines.subList(Math.max(0, lines.size() - 20), lines.size());
    return new IsoBuildException(
        what
            + "; last output:"
            + (last.isEmpty() ? " (none)" : "\n  " + String.join("\n  ", last))
            + "\n  command: "
            + String.join(" ", argv));
  }
}
