package org.debvisor.common.process;

import java.time.Duration;
import java.util.List;

/**
 * How a command ended.
 *
 * @param exitCode its exit status; 127 when it could not be started (as a shell says), -1 when it
 *     was killed for overrunning
 * @param timedOut whether it overran its time limit and was killed
 * @param startError why it could not be started; empty when it was
 * @param output the beginning of its standard output and error, interleaved as written
 * @param lastLines the last lines of that output
 */
public record Outcome(
    int exitCode, boolean timedOut, String startError, String output, List<String> lastLines) {

  public Outcome {
    lastLines = List.copyOf(lastLines);
  }

  static Outcome unstartable(String program, String reason) {
    return new Outcome(127, false, reason, "cannot run " + program + ": " + reason, List.of());
  }

  public boolean succeeded() {
    return startError.isEmpty() && !timedOut && exitCode == 0;
  }

  /** E.g. "exit 3: unit not found" or "no result within 30 s": short, for one log line. */
  public String describe(Duration timeout) {
    if (timedOut) {
      return "no result within " + timeout.toSeconds() + " s";
    }
    String out = output.strip();
    return "exit " + exitCode + (out.isEmpty() ? "" : ": " + out);
  }

  /**
   * Why a build tool failed, with its last output, e.g. {@code "zstd failed (exit 1); last
   * output:\n …"}; for errors that end a long job.
   */
  public String problem(Command command) {
    String tool = command.program();
    if (!startError.isEmpty()) {
      return "cannot run " + tool + " (is it installed?): " + startError;
    }
    if (timedOut) {
      return tool
          + " did not finish within "
          + command.timeoutText()
          + "; last output:"
          + lastLinesText();
    }
    return tool + " failed (exit " + exitCode + "); last output:" + lastLinesText();
  }

  private String lastLinesText() {
    return lastLines.isEmpty() ? " (none)" : "\n  " + String.join("\n  ", lastLines);
  }
}
