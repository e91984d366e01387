package org.debvisor.agent.collect.hypervisor;

/** libvirt could not be connected to or stopped answering; the message says what to check. */
public final class HypervisorUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  HypervisorUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
