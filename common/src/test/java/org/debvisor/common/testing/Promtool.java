package org.debvisor.common.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus's own {@code promtool} (Debian package {@code prometheus}, in
 * DEBVISOR_TEST_PACKAGES) so tests judge expositions, rules and PromQL the way Prometheus will.
 */
public final class Promtool {

  /** How promtool ended and what it printed (standard output and error together). */
  public record Result(int exitCode, String output) {

    /** The printed lines, blank ones dropped. */
    public List<String> lines() {
      return output.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private static final Path PROGRAM = Path.of("/usr/bin/promtool");

  private Promtool() {}

  /** Whether promtool is installed (scripts/test.sh installs it; a bare machine may lack it). */
  public static boolean installed() {
    return Files.isExecutable(PROGRAM);
  }

  /** {@code promtool check metrics} on an exposition read from standard input. */
  public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
    return run(exposition, "check", "metrics");
  }

  /** {@code promtool check rules FILE}. */
  public static Result checkRules(Path rules) throws IOException, InterruptedException {
    return run("", "check", "rules", rules.toString());
  }

  /** {@code promtool test rules FILE}; rule files it names are relative to its directory. */
  public static Result testRules(Path tests) throws IOException, InterruptedException {
    return run("", "test", "rules", tests.toString());
  }

  private static Result run(String input, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(PROGRAM.toString());
    argv.addAll(List.of(args));
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("promtool " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
