package org.debvisor.agent;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.debvisor.agent.cli.StatusCommand;
import org.debvisor.agent.logging.LogSetup;
import org.debvisor.agent.report.NodeIdentityReader;
import org.debvisor.agent.settings.SettingsException;
import org.debvisor.agent.settings.SettingsLoader;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.LoggingSettings;
import org.debvisor.proto.NodeIdentity;
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
      defaultValue = "/etc/debvisor/agent.yaml")
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
    System.exit(new CommandLine(new AgentMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    AgentSettings settings;
    try {
      settings = new SettingsLoader().load(config);
    } catch (SettingsException e) {
      spec.commandLine().getErr().println("debvisor-agent: " + e.getMessage());
      return EXIT_BAD_CONFIG;
    }
    if (checkConfig) {
      spec.commandLine().getOut().println("configuration " + config + " is valid");
      return 0;
    }
    LogSetup.apply(settings.logging());
    NodeIdentity identity = new NodeIdentityReader(Path.of("/")).read(settings.node(), version());
    Agent agent =
        new Agent(
            settings, identity, CollectorCatalog.create(settings, identity), Clock.systemUTC());
    try {
      agent.start();
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("debvisor-agent: " + e.getMessage());
      return EXIT_START_FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  stopped.countDown();
                },
                "agent-shutdown"));
    stopped.await();
    return 0;
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
