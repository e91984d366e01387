package org.debvisor.common.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs programs with a time limit, reading their output as it comes (so no child ever blocks on a
 * full pipe) and keeping its beginning and its last lines for messages. A program that overruns is
 * killed with all its descendants.
 */
public final class ProcessRunner {

  private static final int KEPT_HEAD_CHARS = 4096;
  private static final int KEPT_LAST_LINES = 25;
  // The pipe closes when the process exits unless a detached child holds it: wait no longer.
  private static final Duration DRAIN = Duration.ofSeconds(2);

  /** Runs {@code argv} in the current directory with the inherited environment. */
  public Outcome run(List<String> argv, Duration timeout) throws InterruptedException {
    return run(Command.of(argv, timeout), line -> {});
  }

  public Outcome run(Command command) throws InterruptedException {
    return run(command, line -> {});
  }

  /**
   * Runs the command, passing each line of its output to {@code lines} as it is written.
   *
   * @throws InterruptedException when interrupted while waiting; the program is killed first
   */
  public Outcome run(Command command, Consumer<String> lines) throws InterruptedException {
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectErrorStream(true);
      command.workDir().ifPresent(dir -> builder.directory(dir.toFile()));
      builder.environment().putAll(command.environment());
      process = builder.start();
    } catch (IOException e) {
      return Outcome.unstartable(command.program(), String.valueOf(e.getMessage()));
    }
    OutputKeeper kept = new OutputKeeper(lines);
    Thread reader = Thread.ofVirtual().start(() -> kept.pump(process.getInputStream()));
    try {
      if (!process.waitFor(command.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
        kill(process);
        process.waitFor(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        reader.join(DRAIN);
        return new Outcome(-1, true, "", kept.head(), kept.lastLines());
      }
      reader.join(DRAIN);
      return new Outcome(process.exitValue(), false, "", kept.head(), kept.lastLines());
    } catch (InterruptedException e) {
      kill(process);
      throw e;
    } finally {
      process.destroyForcibly();
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Reads a process's output to the end and keeps what messages need of it. */
  private static final class OutputKeeper {
    private final Consumer<String> listener;
    private final StringBuilder head = new StringBuilder();
    private final Deque<String> last = new ArrayDeque<>();

    OutputKeeper(Consumer<String> listener) {
      this.listener = listener;
    }

    void pump(InputStream in) {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          keep(line);
          listener.accept(line);
        }
      } catch (IOException e) {
        // The stream closes when the process is killed; its exit status tells the rest.
      }
    }

    private synchronized void keep(String line) {
      if (head.length() < KEPT_HEAD_CHARS) {
        head.append(line, 0, Math.min(line.length(), KEPT_HEAD_CHARS - head.length()));
        if (head.length() < KEPT_HEAD_CHARS) {
          head.append('\n');
        }
      }
      last.addLast(line);
      if (last.size() > KEPT_LAST_LINES) {
        last.removeFirst();
      }
    }

    synchronized String head() {
      return head.toString();
    }

    synchronized List<String> lastLines() {
      return List.copyOf(last);
    }
  }
}
