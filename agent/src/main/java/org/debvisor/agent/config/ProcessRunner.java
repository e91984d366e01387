package org.debvisor.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command with a time limit and keeps the start of its output for error messages. */
public final class ProcessRunner {

  private static final int KEPT_OUTPUT_BYTES = 4096;

  /** How a command ended. */
  public record Outcome(int exitCode, boolean timedOut, String output) {
    public boolean succeeded() {
      return !timedOut && exitCode == 0;
    }

    /** E.g. "exit 3: unit not found" or "no result within 30 s". */
    public String describe(Duration timeout) {
      if (timedOut) {
        return "no result within " + timeout.toSeconds() + " s";
      }
      String out = output.strip();
      return "exit " + exitCode + (out.isEmpty() ? "" : ": " + out);
    }
  }

  /** Runs {@code argv}; an unstartable program is reported as exit 127 like a shell would. */
  public Outcome run(List<String> argv, Duration timeout) throws InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Outcome(127, false, "cannot run " + argv.get(0) + ": " + e.getMessage());
    }
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(() -> head(process.getInputStream()));
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return new Outcome(-1, true, "");
      }
      // The pipe closes when the process exits; give the reader a moment to drain it.
      return new Outcome(
          process.exitValue(), false, output.completeOnTimeout("", 2, TimeUnit.SECONDS).join());
    } finally {
      process.destroyForcibly();
    }
  }

  /** Reads everything (so the child never blocks on a full pipe) and keeps the beginning. */
  private static String head(InputStream in) {
    byte[] kept = new byte[KEPT_OUTPUT_BYTES];
    int length = 0;
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        int copy = Math.min(n, kept.length - length);
        System.arraycopy(buffer, 0, kept, length, copy);
        length += copy;
      }
    } catch (IOException e) {
      // the process went away; keep what we have
    }
    return new String(kept, 0, length, StandardCharsets.UTF_8);
  }
}
