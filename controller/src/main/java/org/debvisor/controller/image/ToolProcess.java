package org.debvisor.controller.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one long build tool (mmdebstrap, zstd) with a fixed environment, passes each output line on
 * as it comes, and puts the last lines into the error when the tool fails or overruns.
 */
final class ToolProcess {

  private static final int TAIL_LINES = 25;

  private final Map<String, String> environment;
  private final Duration timeout;
  private final Consumer<String> lines;

  /**
   * @param environment added to the inherited environment
   * @param timeout the tool (and its children) are killed after this long
   * @param lines receives every line of the tool's stdout and stderr
   */
  ToolProcess(Map<String, String> environment, Duration timeout, Consumer<String> lines) {
    this.environment = Map.copyOf(environment);
    this.timeout = timeout;
    this.lines = lines;
  }

  void run(List<String> argv, Path workDir) throws ImageBuildException {
    String tool = argv.getFirst();
    Deque<String> tail = new ArrayDeque<>();
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true);
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot run " + tool + " (is it installed?): " + e.getMessage(), e);
    }
    Thread reader = Thread.ofVirtual().start(() -> pump(process, tail));
    try {
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        throw new ImageBuildException(
            tool
                + " did not finish within "
                + timeout.toMinutes()
                + " min; last output:"
                + text(tail));
      }
      reader.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ImageBuildException(tool + " interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new ImageBuildException(
          tool + " failed (exit " + process.exitValue() + "); last output:" + text(tail));
    }
  }

  private void pump(Process process, Deque<String> tail) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
        lines.accept(line);
      }
    } catch (IOException e) {
      // The stream closes when the process is killed; its exit status tells the rest.
    }
  }

  private static String text(Deque<String> tail) {
    synchronized (tail) {
      return tail.isEmpty() ? " (none)" : "\n  " + String.join("\n  ", tail);
    }
  }
}
