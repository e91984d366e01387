package org.debvisor.controller.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import org.debvisor.agentapi.AgentPaths;
import org.debvisor.agentapi.AgentPorts;
import org.debvisor.controller.ssh.CommandTimeoutException;
import org.debvisor.controller.ssh.ExecResult;
import org.debvisor.controller.ssh.SshConnection;
import org.debvisor.controller.ssh.SshException;

/**
 * Decides health on the node itself: once the agent's {@code /readyz} (port 9500 on the node's
 * loopback, read through an SSH port forward) says ready, the agent must answer {@code
 * debvisor-agent status -o json} on loopback with an overall state of OK or WARN, and, when it
 * enrols with a controller, the node must hold the certificate the controller issued. Polls with a
 * growing pause (0.5 s to 5 s), bounded by the timeout.
 */
public final class LocalAgentProbe implements HealthProbe {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The agent's own status command; C1 only, which halves the JVM's start-up CPU. */
  static final String STATUS =
      "DEBVISOR_AGENT_JAVA_OPTS=-XX:TieredStopAtLevel=1 debvisor-agent status -o json --timeout 5";

  @Override
  public String awaitHealthy(NodeSession node, Duration timeout)
      throws SshException, StepFailedException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    String lastErr = "";
    int attempts = 0;
    boolean readyzUsable = true;
    while (attempts < 10_000) {
      attempts++;
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L);
      if (readyzUsable) {
        // Cheap first: the agent's /readyz through a port forward runs nothing on the node, so
        // polling many busy nodes does not start a JVM on each every second.
        try {
          SshConnection.HttpAnswer ready =
              node.connection().loopbackGet(AgentPorts.OPS_HTTP, "/readyz", Duration.ofSeconds(10));
          if (ready.status() != 200) {
            last =
                ready.status() == 0
                    ? "agent not answering on port " + AgentPorts.OPS_HTTP + " yet"
                    : ready.body().strip();
            lastErr = "";
            if (System.nanoTime() > deadline) {
              break;
            }
            Thread.sleep(Math.min(3000, 500L * attempts));
            continue;
          }
        } catch (SshException e) {
          readyzUsable = false;
        }
      }
      ExecResult r;
      try {
        r = node.shell().run(STATUS, Duration.ofSeconds(Math.min(60, left + 5)));
      } catch (CommandTimeoutException e) {
        // A slow JVM start on a busy node is one more unanswered poll, not a failure yet.
        r = new ExecResult(STATUS, 124, "", e.getMessage());
      }
      if (r.ok()) {
        Verdict v = judge(r.stdout());
        boolean enrolled =
            !node.plan().enrols() || node.shell().run("test -s " + AgentPaths.NODE_CERT).ok();
        if (v.healthy() && enrolled) {
          return v.description() + (node.plan().enrols() ? ", enrolled" : "");
        }
        if (!enrolled) {
          v =
              new Verdict(
                  false,
                  v.description()
                      + ", not enrolled yet (no "
                      + AgentPaths.NODE_CERT
                      + "; is the controller reachable from the node and the token valid?)");
        }
        last = v.description();
        lastErr = "";
      } else {
        last = "agent not answering (exit " + r.exitCode() + ")";
        lastErr = r.stderr();
      }
      if (System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(Math.min(5000, 500L * attempts));
    }
    throw new StepFailedException(
        "the agent did not report healthy within "
            + timeout.toSeconds()
            + " s: "
            + last
            + " (see "
            + StartAgentStep.LOG_FILE
            + " or journalctl -u debvisor-agent on the host)",
        lastErr);
  }

  /**
   * A health verdict from the agent's JSON report.
   *
   * @param healthy OK or WARN
   * @param description e.g. "node dvn-node-1 (…) HEALTH_OK, agent 0.1.0"
   */
  record Verdict(boolean healthy, String description) {}

  static Verdict judge(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      return new Verdict(false, "unreadable status report: " + e.getMessage());
    }
    String state = root.path("state").asText("HEALTH_UNKNOWN");
    JsonNode id = root.path("node");
    String desc =
        "agent on "
            + id.path("hostname").asText("?")
            + " reports "
            + state
            + (id.hasNonNull("agentVersion") ? ", agent " + id.path("agentVersion").asText() : "");
    boolean healthy = state.equals("HEALTH_OK") || state.equals("HEALTH_WARN");
    return new Verdict(healthy, desc);
  }
}
