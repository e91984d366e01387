package org.debvisor.controller.cli;

import java.nio.file.Path;
import java.util.Map;
import org.debvisor.controller.image.HostPrerequisites;
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
    return create(jarLocation, System.getenv());
  }

  /**
   * @param env environment the commands read defaults from (DEBVISOR_STATE_DIR,
   *     DEBVISOR_CONTROLLER, DEBVISOR_CA_FILE, DEBVISOR_TOKEN; PATH for the image build tools);
   *     tests pass their own
   */
  public static CommandLine create(Path jarLocation, Map<String, String> env) {
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
    CommandLine image =
        new CommandLine(new ImageCommand())
            .addSubcommand(
                new ImageBuildCommand(
                    locator,
                    new AgentDebLocator(Path.of(""), jarLocation),
                    HostPrerequisites.ofThisHost(env)));
    CommandLine controller =
        new CommandLine(new ControllerCommand()).addSubcommand(new ControllerServeCommand(env));
    CommandLine token =
        new CommandLine(new TokenCommand()).addSubcommand(new TokenCreateCommand(env));
    CommandLine node = new CommandLine(new NodeCommand()).addSubcommand(new NodeRevokeCommand(env));
    CommandLine nodes =
        new CommandLine(new NodesCommand())
            .addSubcommand(new NodesListCommand(env))
            .addSubcommand(new NodesShowCommand(env));
    CommandLine rollout =
        new CommandLine(new RolloutCommand())
            .addSubcommand(new RolloutCreateCommand(env))
            .addSubcommand(new RolloutListCommand(env))
            .addSubcommand(new RolloutStatusCommand(env))
            .addSubcommand(new RolloutChangeCommand.Pause(env))
            .addSubcommand(new RolloutChangeCommand.Resume(env))
            .addSubcommand(new RolloutChangeCommand.Approve(env))
            .addSubcommand(new RolloutChangeCommand.Abort(env))
            .addSubcommand(new RolloutChangeCommand.Rollback(env));
    CommandLine audit =
        new CommandLine(new AuditCommand()).addSubcommand(new AuditVerifyCommand(env));
    CommandLine user =
        new CommandLine(new UserCommand())
            .addSubcommand(new UserCommands.Add(env))
            .addSubcommand(new UserCommands.Passwd(env))
            .addSubcommand(new UserCommands.ChangeRole(env))
            .addSubcommand(new UserCommands.Del(env))
            .addSubcommand(new UserCommands.ListUsers(env));
    CommandLine root =
        new CommandLine(new DebvisorCommand())
            .addSubcommand(preseed)
            .addSubcommand(iso)
            .addSubcommand(image)
            .addSubcommand(controller)
            .addSubcommand(token)
            .addSubcommand(node)
            .addSubcommand(nodes)
            .addSubcommand(rollout)
            .addSubcommand(audit)
            .addSubcommand(
                new CommandLine(new ControllersCommand())
                    .addSubcommand(new ControllersListCommand(env)))
            .addSubcommand(new BackupCommand(env))
            .addSubcommand(new RestoreCommand(env))
            .addSubcommand(user)
            .addSubcommand(new CommandLine(new SbomCommand()).addSubcommand(new SbomScanCommand()))
            .addSubcommand(new InventoryCommand(env))
            .addSubcommand(
                new ProvisionNodeCommand(
                    locator, new AgentDebLocator(Path.of(""), jarLocation), env))
            .addSubcommand(new SimCommand(env))
            .addSubcommand(new picocli.AutoComplete.GenerateCompletion());
    root.setCaseInsensitiveEnumValuesAllowed(true);
    return withErrorHandler(root);
  }

  /** {@code debvisor-provision-node}: the same command as {@code debvisor provision-node}. */
  public static CommandLine provisionNode(Path jarLocation) {
    return provisionNode(jarLocation, System.getenv());
  }

  /** {@code debvisor-provision-node} reading its defaults from {@code env}. */
  public static CommandLine provisionNode(Path jarLocation, Map<String, String> env) {
    CommandLine cmd =
        new CommandLine(
                new ProvisionNodeCommand(
                    new PreseedDataLocator(jarLocation),
                    new AgentDebLocator(Path.of(""), jarLocation),
                    env))
            .setCommandName("debvisor-provision-node");
    return withErrorHandler(cmd);
  }

  private static CommandLine withErrorHandler(CommandLine root) {
    root.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return EXIT_FAILURE;
        });
    return root;
  }
}
