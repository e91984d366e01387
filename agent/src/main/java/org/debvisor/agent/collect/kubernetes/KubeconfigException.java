package org.debvisor.agent.collect.kubernetes;

/** A kubeconfig that cannot be used; the message names the file and the offending key. */
public final class KubeconfigException extends Exception {

  private static final long serialVersionUID = 1L;

  KubeconfigException(String message) {
    super(message);
  }

  KubeconfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
