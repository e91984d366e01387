package org.debvisor.controller.provision;

import org.debvisor.controller.ssh.SshTarget;

/**
 * Told about provisioning as it happens; called from several threads when hosts run in parallel.
 */
public interface ProgressListener {

  /** A step starts on a host. */
  default void stepStarted(SshTarget target, String step) {}

  /** A step finished on a host. */
  default void stepFinished(SshTarget target, StepResult result) {}

  /** Something worth telling that is not a step, e.g. a host key trusted on first use. */
  default void note(SshTarget target, String message) {}

  /** Bytes sent so far in the current upload on a host. */
  default void uploaded(SshTarget target, long bytes) {}

  /** Listens to nothing. */
  ProgressListener NONE = new ProgressListener() {};
}
