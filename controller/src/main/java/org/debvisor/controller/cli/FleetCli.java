package org.debvisor.controller.cli;

import java.util.Map;
import picocli.CommandLine;

/** Builds the fleet command trees {@code cephctl}, {@code hvctl} and {@code k8sctl}. */
public final class FleetCli {

  private FleetCli() {}

  /** {@code cephctl health}; usage errors exit 64 because 2 means HEALTH_ERR. */
  public static CommandLine cephctl(Map<String, String> env) {
    CommandLine cli =
        configure(new CommandLine(new CephctlCommand()).addSubcommand(new CephHealthCommand(env)));
    cli.getSubcommands()
        .get("health")
        .setExitCodeExceptionMapper(e -> CephHealthCommand.EXIT_USAGE);
    return cli.setParameterExceptionHandler(
        (e, args) -> {
          e.getCommandLine().getErr().println("error: " + e.getMessage());
          e.getCommandLine().usage(e.getCommandLine().getErr());
          return CephHealthCommand.EXIT_USAGE;
        });
  }

  /** {@code hvctl nodes}. */
  public static CommandLine hvctl(Map<String, String> env) {
    return configure(new CommandLine(new HvctlCommand()).addSubcommand(new HvNodesCommand(env)));
  }

  /** {@code k8sctl nodes}. */
  public static CommandLine k8sctl(Map<String, String> env) {
    return configure(new CommandLine(new K8sctlCommand()).addSubcommand(new K8sNodesCommand(env)));
  }

  private static CommandLine configure(CommandLine root) {
    root.addSubcommand(new picocli.AutoComplete.GenerateCompletion());
    root.setCaseInsensitiveEnumValuesAllowed(true);
    root.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return DebvisorCli.EXIT_FAILURE;
        });
    return root;
  }
}
