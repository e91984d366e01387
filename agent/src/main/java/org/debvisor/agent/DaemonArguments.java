package org.debvisor.agent;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Recognises the command lines that only start the daemon (none, or just {@code --config FILE}) so
 * that {@link AgentMain} can start it without picocli: building its command model loads ~170
 * classes that would stay in metaspace for the agent's life. Anything else (help, version,
 * --check-config, subcommands, {@code @argument-files}, mistakes) goes to picocli, which also
 * reports the errors.
 */
final class DaemonArguments {

  static final String DEFAULT_CONFIG = "/etc/debvisor/agent.yaml";

  private DaemonArguments() {}

  /** The configuration file when {@code args} just start the daemon, else empty. */
  static Optional<Path> configFile(String[] args) {
    if (args.length == 0) {
      return Optional.of(Path.of(DEFAULT_CONFIG));
    }
    if (args.length == 1 && args[0].startsWith("--config=") && args[0].length() > 9) {
      return Optional.of(Path.of(args[0].substring(9)));
    }
    if (args.length == 2
        && (args[0].equals("--config") || args[0].equals("-c"))
        && !args[1].isEmpty()
        && !args[1].startsWith("-")
        && !args[1].startsWith("@")) {
      return Optional.of(Path.of(args[1]));
    }
    return Optional.empty();
  }
}
