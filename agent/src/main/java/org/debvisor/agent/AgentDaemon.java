package org.debvisor.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.debvisor.agent.logging.LogSetup;
import org.debvisor.agent.report.NodeIdentityReader;
import org.debvisor.agent.settings.SettingsException;
import org.debvisor.agent.settings.SettingsLoader;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.proto.NodeIdentity;

/**
 * Runs the agent from a configuration file until the JVM is asked to stop, or only validates the
 * file ({@code --check-config}); the exit codes are {@link AgentMain}'s.
 */
final class AgentDaemon {

  private final PrintWriter out;
  private final PrintWriter err;

  AgentDaemon(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  int run(Path config, boolean checkOnly) throws Exception {
    AgentSettings settings;
    try {
      settings = new SettingsLoader().load(config);
    } catch (SettingsException e) {
      err.println("debvisor-agent: " + e.getMessage());
      return AgentMain.EXIT_BAD_CONFIG;
    }
    if (checkOnly) {
      out.println("configuration " + config + " is valid");
      return 0;
    }
    LogSetup.apply(settings.logging());
    NodeIdentity identity =
        new NodeIdentityReader(Path.of("/")).read(settings.node(), AgentMain.version());
    Agent agent =
        new Agent(
            settings, identity, CollectorCatalog.create(settings, identity), Clock.systemUTC());
    try {
      agent.start();
    } catch (IOException e) {
      err.println("debvisor-agent: " + e.getMessage());
      return AgentMain.EXIT_START_FAILED;
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
}
