package org.debvisor.agent;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.debvisor.agent.cli.StatusCommand;
import org.debvisor.agent.logging.LogSetup;
import org.debvisor.agentapi.LoggingSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code debvisor-agent}: the node agent's command line. */
@Command(
    name = "debvisor-agent",
    mixinStandardHelpOptions = true,
    subcommands = {StatusCommand.class},
    versionProvider = AgentMain.Version.class,
    description = "Reports this node's Ceph, hypervisor, Kubernetes and system health over gRPC.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped cleanly, or --check-config found no problem",
      "1:could not start (port in use, TLS material unreadable)",
      "2:invalid configuration or command line"
    })
public final class AgentMain implements Callable<Integer> {

  static final int EXIT_START_FAILED = 1;
  static final int EXIT_BAD_CONFIG = 2;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file (default: ${DEFAULT-VALUE}).",
      defaultValue = DaemonArguments.DEFAULT_CONFIG)
  Path config;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--check-config",
      description = "Validate the configuration file, print problems and exit.")
  boolean checkConfig;

  public static void main(String[] args) {
    NettyDefaults.apply(System.getProperties());
    // In code rather than a logback.xml: parsing one loads ~400 classes (Joran, the JDK's XML
    // parser) that stay in metaspace for the agent's life.
    LogSetup.apply(new LoggingSettings(null, null));
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line {@code args} and returns the exit code. */
  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    Optional<Path> daemonConfig = DaemonArguments.configFile(args);
    if (daemonConfig.isEmpty()) {
      CommandLine cmd = new CommandLine(new AgentMain());
      cmd.setOut(out);
      cmd.setErr(err);
      return cmd.execute(args);
    }
    try {
      return new AgentDaemon(out, err).run(daemonConfig.get(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (Exception e) {
      // What picocli does with an unexpected failure (stack trace, exit 1), without its classes.
      e.printStackTrace(err);
      return EXIT_START_FAILED;
    }
  }

  @Override
  public Integer call() throws Exception {
    return new AgentDaemon(spec.commandLine().getOut(), spec.commandLine().getErr())
        .run(config, checkConfig);
  }

  static String version() {
    String v = AgentMain.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Reports the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"debvisor-agent " + version()};
    }
  }
}
