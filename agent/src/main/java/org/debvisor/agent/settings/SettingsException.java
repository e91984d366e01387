package org.debvisor.agent.settings;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The configuration file cannot be used; the message names the file, each key and its rule. */
public final class SettingsException extends Exception {

  private final List<SettingsProblem> problems;

  public SettingsException(Path file, List<SettingsProblem> problems) {
    super(
        "invalid agent configuration "
            + file
            + ":\n"
            + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  /** Each offending key with its rule. */
  public List<SettingsProblem> problems() {
    return problems;
  }
}
