package org.debvisor.controller.provision;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.agentapi.AgentPaths;
import org.debvisor.controller.ssh.ExecResult;
import org.debvisor.controller.ssh.SshException;

/**
 * Installs the agent's configuration: agent.yaml, the controller's CA, the bootstrap token (0600)
 * and the profile name; then lets the installed agent check the configuration.
 */
final class ConfigureStep implements ProvisionStep {

  @Override
  public String name() {
    return "configure";
  }

  @Override
  public StepOutcome run(NodeSession node) throws SshException, StepFailedException {
    ProvisionPlan plan = node.plan();
    String profile = plan.profile().name();
    List<String> changed = new ArrayList<>();
    if (plan.caFile() != null && node.files().put(plan.caFile(), AgentPaths.CA_FILE, "0644")) {
      changed.add(AgentPaths.CA_FILE);
    }
    boolean enrolled = false;
    if (plan.enrols() && plan.tokens() != null) {
      // A token is single-use: once the node holds its certificate it needs none, and the agent
      // may have emptied the file, which must not count as a change.
      enrolled = node.shell().run("test -s " + AgentPaths.NODE_CERT).ok();
      String token = enrolled ? null : plan.tokens().tokenFor(node.target());
      if (token != null && node.files().put(bytes(token + "\n"), AgentPaths.TOKEN_FILE, "0600")) {
        changed.add(AgentPaths.TOKEN_FILE);
      }
    }
    String yaml = AgentConfig.render(profile, plan.controllerAddress(), node.facts().address());
    if (node.files().put(bytes(yaml), AgentPaths.CONFIG_FILE, "0644")) {
      changed.add(AgentPaths.CONFIG_FILE);
    }
    if (node.files().put(bytes(profile + "\n"), AgentPaths.PROFILE_FILE, "0644")) {
      changed.add(AgentPaths.PROFILE_FILE);
    }
    // The installed agent checks what was written; an unchanged file was checked when written
    // (this saves a JVM start per host on re-runs).
    if (!changed.isEmpty() || node.agentChanged()) {
      ExecResult check =
          node.shell().run("debvisor-agent --config " + AgentPaths.CONFIG_FILE + " --check-config");
      if (!check.ok()) {
        throw new StepFailedException(
            "the agent rejects " + AgentPaths.CONFIG_FILE + " (debvisor-agent --check-config)",
            check.stderr() + check.stdout());
      }
    }
    if (changed.isEmpty()) {
      return StepOutcome.unchanged(
          "configuration up to date" + (enrolled ? " (node already enrolled, no token sent)" : ""));
    }
    node.markConfigChanged();
    return StepOutcome.changed("wrote " + String.join(", ", changed));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
