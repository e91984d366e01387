package org.debvisor.controller.provision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.controller.ssh.SshConnection;
import org.debvisor.controller.ssh.SshConnector;
import org.debvisor.controller.ssh.SshException;
import org.debvisor.controller.ssh.SshTarget;

/**
 * Provisions one host: connects (host key checked), then runs the steps in order and stops at the
 * first failure. Every step is idempotent, so running it again finishes what a cut run left.
 */
final class Provisioner {

  /** The steps, in order. */
  public static List<ProvisionStep> standardSteps() {
    return List.of(
        new PreflightStep(),
        new UploadAgentStep(),
        new InstallStep(),
        new ConfigureStep(),
        new ProfileStep(),
        new StartAgentStep(),
        new WaitHealthyStep());
  }

  private final SshConnector connector;
  private final ProvisionPlan plan;
  private final List<ProvisionStep> steps;
  private final ProgressListener listener;

  public Provisioner(
      SshConnector connector,
      ProvisionPlan plan,
      List<ProvisionStep> steps,
      ProgressListener listener) {
    this.connector = connector;
    this.plan = plan;
    this.steps = List.copyOf(steps);
    this.listener = listener;
  }

  /** Provisions {@code target}; never throws for problems on the host, they are in the result. */
  public HostResult provision(SshTarget target) {
    long start = System.nanoTime();
    List<StepResult> results = new ArrayList<>();
    listener.stepStarted(target, "connect");
    long t0 = System.nanoTime();
    SshConnection connection;
    try {
      connection = connector.connect(target);
    } catch (SshException e) {
      StepResult failed = new StepResult("connect", false, false, e.getMessage(), "", since(t0));
      results.add(failed);
      listener.stepFinished(target, failed);
      return new HostResult(target, results, false, null, since(start));
    }
    String accepted = connection.acceptedHostKeyLine();
    StepResult connected =
        new StepResult(
            "connect",
            true,
            accepted != null,
            accepted == null ? "host key verified" : "host key trusted on first use and recorded",
            "",
            since(t0));
    results.add(connected);
    listener.stepFinished(target, connected);
    if (accepted != null) {
      listener.note(target, "accepted new host key, added to known_hosts: " + accepted);
    }
    try (connection) {
      NodeSession node = new NodeSession(connection, plan, listener);
      for (ProvisionStep step : steps) {
        listener.stepStarted(target, step.name());
        long s0 = System.nanoTime();
        StepResult r;
        try {
          StepOutcome o = step.run(node);
          r = new StepResult(step.name(), true, o.changed(), o.detail(), "", since(s0));
        } catch (StepFailedException e) {
          r = new StepResult(step.name(), false, false, e.getMessage(), e.stderr(), since(s0));
        } catch (SshException e) {
          r = new StepResult(step.name(), false, false, e.getMessage(), "", since(s0));
        } catch (RuntimeException e) {
          r = new StepResult(step.name(), false, false, "internal error: " + e, "", since(s0));
        }
        results.add(r);
        listener.stepFinished(target, r);
        if (!r.ok()) {
          return new HostResult(target, results, false, accepted, since(start));
        }
      }
    }
    return new HostResult(target, results, true, accepted, since(start));
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }
}
