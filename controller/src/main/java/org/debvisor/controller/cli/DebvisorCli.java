package org.debvisor.controller.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.debvisor.controller.image.HostPrerequisites;
import picocli.CommandLine;

/** Builds the {@code debvisor} command tree; used by the main class and by tests in process. */
public final class DebvisorCli {

  /** Exit code for bad input (a file, field and rule are printed). */
  public static final int EXIT_INVALID = 2;

  /** Exit code for any other failure. */
  public static final int EXIT_FAILURE = 1;

  /** picocli's completion-script command; it needs the whole tree. */
  private static final String COMPLETION = "generate-completion";

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
    CommandLine root = new CommandLine(new DebvisorCommand());
    topLevel(jarLocation, env, false).values().forEach(sub -> root.addSubcommand(sub.get()));
    return finish(root);
  }

  /**
   * The tree {@code args} need: only the top-level subcommand they name (picocli reads every
   * command's annotations when it is added, which cost seconds of each CLI start when all ~60 were
   * built), the root alone for {@code --version}, and the whole tree otherwise (help, typos,
   * completion scripts).
   */
  public static CommandLine forArguments(
      Path jarLocation, Map<String, String> env, String... args) {
    String first = args.length == 0 ? "" : args[0];
    if (first.equals("-V") || first.equals("--version")) {
      return finish(new CommandLine(new DebvisorCommand()));
    }
    // iso build's inputs load while picocli reads the command tree and the arguments.
    boolean isoBuild = first.equals("iso") && args.length > 1 && args[1].equals("build");
    Supplier<CommandLine> named =
        first.equals(COMPLETION) ? null : topLevel(jarLocation, env, isoBuild).get(first);
    if (named == null) {
      return create(jarLocation, env);
    }
    CommandLine sub = named.get(); // first: it may start loading iso build's inputs
    return finish(new CommandLine(new DebvisorCommand()).addSubcommand(sub));
  }

  /** Names of the top-level subcommands, in the order help lists them. */
  static Set<String> topLevelNames() {
    return topLevel(null, Map.of(), false).keySet();
  }

  /**
   * Each top-level subcommand by name, built when its supplier is called; {@code isoBuild} starts
   * loading {@code iso build}'s inputs when its command is built.
   */
  private static Map<String, Supplier<CommandLine>> topLevel(
      Path jarLocation, Map<String, String> env, boolean isoBuild) {
    PreseedDataLocator locator = new PreseedDataLocator(jarLocation);
    Map<String, Supplier<CommandLine>> commands = new LinkedHashMap<>();
    commands.put(
        "preseed",
        () ->
            new CommandLine(new PreseedCommand())
                .addSubcommand(new PreseedRenderCommand(locator))
                .addSubcommand(new PreseedValidateCommand()));
    commands.put(
        "iso",
        () -> {
          IsoBuildInputs inputs = new IsoBuildInputs(locator);
          CommandLine iso = new CommandLine(new IsoCommand());
          if (isoBuild) {
            // The command that runs, alone: its siblings' models cost a warm build ~30 ms.
            inputs.startLoading();
            return iso.addSubcommand(new IsoBuildCommand(inputs));
          }
          return iso.addSubcommand(new IsoBuildCommand(inputs))
              .addSubcommand(new IsoPreflightCommand())
              .addSubcommand(new IsoTestCommand());
        });
    commands.put(
        "image",
        () ->
            new CommandLine(new ImageCommand())
                .addSubcommand(
                    new ImageBuildCommand(
                        locator,
                        new AgentDebLocator(Path.of(""), jarLocation),
                        HostPrerequisites.ofThisHost(env))));
    commands.put(
        "controller",
        () ->
            new CommandLine(new ControllerCommand())
                .addSubcommand(new ControllerServeCommand(env, locator)));
    commands.put(
        "token",
        () -> new CommandLine(new TokenCommand()).addSubcommand(new TokenCreateCommand(env)));
    commands.put(
        "node", () -> new CommandLine(new NodeCommand()).addSubcommand(new NodeRevokeCommand(env)));
    commands.put(
        "nodes",
        () ->
            new CommandLine(new NodesCommand())
                .addSubcommand(new NodesListCommand(env))
                .addSubcommand(new NodesShowCommand(env)));
    commands.put(
        "rollout",
        () ->
            new CommandLine(new RolloutCommand())
                .addSubcommand(new RolloutCreateCommand(env))
                .addSubcommand(new RolloutListCommand(env))
                .addSubcommand(new RolloutStatusCommand(env))
                .addSubcommand(new RolloutChangeCommand.Pause(env))
                .addSubcommand(new RolloutChangeCommand.Resume(env))
                .addSubcommand(new RolloutChangeCommand.Approve(env))
                .addSubcommand(new RolloutChangeCommand.Abort(env))
                .addSubcommand(new RolloutChangeCommand.Rollback(env)));
    commands.put(
        "audit",
        () -> new CommandLine(new AuditCommand()).addSubcommand(new AuditVerifyCommand(env)));
    commands.put(
        "controllers",
        () ->
            new CommandLine(new ControllersCommand())
                .addSubcommand(new ControllersListCommand(env)));
    commands.put("backup", () -> new CommandLine(new BackupCommand(env)));
    commands.put("restore", () -> new CommandLine(new RestoreCommand(env)));
    commands.put(
        "user",
        () ->
            new CommandLine(new UserCommand())
                .addSubcommand(new UserCommands.Add(env))
                .addSubcommand(new UserCommands.Passwd(env))
                .addSubcommand(new UserCommands.ChangeRole(env))
                .addSubcommand(new UserCommands.Del(env))
                .addSubcommand(new UserCommands.ListUsers(env)));
    commands.put(
        "sbom", () -> new CommandLine(new SbomCommand()).addSubcommand(new SbomScanCommand()));
    commands.put("inventory", () -> new CommandLine(new InventoryCommand(env)));
    commands.put(
        "provision-node",
        () ->
            new CommandLine(
                new ProvisionNodeCommand(
                    locator, new AgentDebLocator(Path.of(""), jarLocation), env)));
    commands.put("sim", () -> new CommandLine(new SimCommand(env)));
    commands.put(COMPLETION, () -> new CommandLine(new picocli.AutoComplete.GenerateCompletion()));
    return commands;
  }

  private static CommandLine finish(CommandLine root) {
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
