package org.debvisor.controller.provision;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.debvisor.controller.node.Profile;
import org.debvisor.controller.ssh.Identities;
import org.debvisor.controller.ssh.KnownHosts;
import org.debvisor.controller.ssh.SshClientConfig;
import org.debvisor.controller.ssh.SshConnector;
import org.debvisor.controller.ssh.SshException;
import org.debvisor.controller.ssh.SshTarget;

/** Provisions a list of hosts over SSH with the standard steps, some hosts at once. */
public final class SshProvisioning {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How to reach the hosts.
   *
   * @param config ssh_config the host names are resolved through
   * @param identities key files and ssh-agent
   * @param knownHosts known_hosts files the host keys are checked against
   * @param acceptNewHostKey trust and record the key of a host not yet known
   * @param connectTimeout connect and key exchange limit
   */
  public record Ssh(
      SshClientConfig config,
      Identities identities,
      KnownHosts knownHosts,
      boolean acceptNewHostKey,
      Duration connectTimeout) {}

  /**
   * What every host gets.
   *
   * @param controller host:port the agent enrols with, or null for a standalone agent
   * @param tokens bootstrap tokens, or null without a controller
   * @param enrolment how the health step learns that a node enrolled
   */
  public record Request(
      Profile profile,
      Path agentDeb,
      String controller,
      Path caFile,
      BootstrapTokens tokens,
      AgentProbe.Enrolment enrolment,
      Duration healthTimeout,
      int parallel) {}

  private final Ssh ssh;

  public SshProvisioning(Ssh ssh) {
    this.ssh = ssh;
  }

  /** Provisions every target; a failed host does not stop the others. */
  public List<HostResult> provisionAll(
      List<SshTarget> targets, Request request, ProgressListener progress)
      throws SshException, InterruptedException {
    ProvisionPlan plan =
        new ProvisionPlan(
            request.profile(),
            request.agentDeb(),
            request.controller(),
            request.caFile(),
            request.tokens(),
            new AgentProbe(request.enrolment()),
            COMMAND_TIMEOUT,
            INSTALL_TIMEOUT,
            request.healthTimeout());
    try (SshConnector connector =
        new SshConnector(
            new SshConnector.Settings(
                ssh.config(),
                ssh.identities(),
                ssh.knownHosts(),
                ssh.acceptNewHostKey(),
                ssh.connectTimeout(),
                AUTH_TIMEOUT))) {
      Provisioner provisioner =
          new Provisioner(connector, plan, Provisioner.standardSteps(), progress);
      return new FleetProvisioner(provisioner, request.parallel()).provisionAll(targets);
    }
  }
}
