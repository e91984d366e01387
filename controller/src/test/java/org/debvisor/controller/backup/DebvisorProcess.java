package org.debvisor.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code debvisor} as a JVM of its own from the test class path, so a test can SIGKILL it mid-way
 * (the kill tests of backup and restore). Every command gets {@code commonArgs} appended.
 */
final class DebvisorProcess {

  /** A started command stopped at a progress line; the test decides when to kill it. */
  record Started(Process process, List<String> lines) {

    /** SIGKILL to the JVM alone (its children get what a real kill gives them). */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed JVM reaped").isTrue();
    }
  }

  private static final int MAX_LINES = 200;

  private final List<String> commonArgs;

  DebvisorProcess(List<String> commonArgs) {
    this.commonArgs = List.copyOf(commonArgs);
  }

  /** Runs to the end with its output discarded; the exit code. */
  int run(String... args) throws Exception {
    Process p = builder(args).start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
    return p.exitValue();
  }

  /** Starts the command and SIGKILLs it when it prints a line starting with {@code marker}. */
  List<String> runAndKillAt(String marker, String... args) throws Exception {
    Started started = startUntil(marker, args);
    started.kill();
    return started.lines();
  }

  /**
   * Starts the command and returns once it printed a line starting with {@code marker}; fails (and
   * kills it) when it ends or prints {@value #MAX_LINES} lines without one.
   */
  Started startUntil(String marker, String... args) throws Exception {
    Process p = builder(args).start();
    List<String> lines = new ArrayList<>();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    try {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
        if (line.startsWith(marker)) {
          return new Started(p, lines);
        }
        if (lines.size() > MAX_LINES) {
          break;
        }
      }
    } catch (RuntimeException | java.io.IOException e) {
      p.destroyForcibly();
      throw e;
    }
    p.destroyForcibly();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    throw new AssertionError("the process never reached " + marker + "; it printed " + lines);
  }

  private ProcessBuilder builder(String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "org.debvisor.controller.DebvisorMain"));
    command.addAll(List.of(args));
    command.addAll(commonArgs);
    return new ProcessBuilder(command).redirectErrorStream(true);
  }
}
