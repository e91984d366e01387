package org.debvisor.controller.cli;

import java.nio.file.Path;
import picocli.CommandLine;

/** Builds the {@code debvisor} command tree; used by the main class and by tests in process. */
public final class DebvisorCli {

  /** Exit code for bad input (a file, field and rule are printed). */
  public static final int EXIT_INVALID = 2;

  /** Exit code for any other failure. */
  public static final int EXIT_FAILURE = 1;

  private DebvisorCli() {}

  /**
   * @param jarLocation the running jar (or classes directory), to find {@code preseed/} beside it;
   *     may be null
   */
  public static CommandLine create(Path jarLocation) {
    PreseedDataLocator locator = new PreseedDataLocator(jarLocation);
    CommandLine preseed =
        new CommandLine(new PreseedCommand())
            .addSubcommand(new PreseedRenderCommand(locator))
            .addSubcommand(new PreseedValidateCommand());
    CommandLine iso =
        new CommandLine(new IsoCommand())
            .addSubcommand(new IsoBuildCommand(locator))
            .addSubcommand(new IsoPreflightCommand())
            .addSubcommand(new IsoTestCommand());
    CommandLine root =
        new CommandLine(new DebvisorCommand()).addSubcommand(preseed).addSubcommand(iso);
    root.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return EXIT_FAILURE;
        });
    return root;
  }
}
