package org.debvisor.controller.iso;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
}
