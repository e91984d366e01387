package org.debvisor.controller.provision;

import java.time.Duration;
import java.util.List;
import org.debvisor.controller.ssh.SshTarget;

/**
 * The outcome of provisioning one host.
 *
 * @param target the host
 * @param steps every step that ran, in order (the last one failed when {@code ok} is false)
 * @param ok true when every step succeeded
 * @param acceptedHostKey the known_hosts line added by trust on first use, or null
 * @param elapsed wall time for the host
 */
public record HostResult(
    SshTarget target,
    List<StepResult> steps,
    boolean ok,
    String acceptedHostKey,
    Duration elapsed) {

  public HostResult {
    steps = List.copyOf(steps);
  }

  /** True when some step changed the host. */
  public boolean changed() {
    return steps.stream().anyMatch(StepResult::changed);
  }

  /** The step that failed, or null. */
  public StepResult failure() {
    return ok || steps.isEmpty() ? null : steps.get(steps.size() - 1);
  }
}
