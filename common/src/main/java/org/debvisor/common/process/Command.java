package org.debvisor.common.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A program to run and the limits it runs under.
 *
 * @param argv the program and its arguments
 * @param workDir where it runs; empty for the caller's working directory
 * @param environment added to the inherited environment
 * @param timeout the program and its children are killed after this long
 */
public record Command(
    List<String> argv, Optional<Path> workDir, Map<String, String> environment, Duration timeout) {

  public Command {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs a program");
    }
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
  }

  public static Command of(List<String> argv, Duration timeout) {
    return new Command(argv, Optional.empty(), Map.of(), timeout);
  }

  public Command in(Path directory) {
    return new Command(argv, Optional.of(directory), environment, timeout);
  }

  public Command withEnvironment(Map<String, String> variables) {
    return new Command(argv, workDir, variables, timeout);
  }

  public String program() {
    return argv.getFirst();
  }

  /** The time limit as people say it: "10 min", "30 s". */
  String timeoutText() {
    return timeout.toSeconds() >= 60 && timeout.toSeconds() % 60 == 0
        ? timeout.toMinutes() + " min"
        : timeout.toSeconds() + " s";
  }
}
