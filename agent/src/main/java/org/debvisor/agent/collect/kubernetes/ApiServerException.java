package org.debvisor.agent.collect.kubernetes;

/** The apiserver could not be reached, did not answer in time, or refused the agent. */
public final class ApiServerException extends Exception {

  private static final long serialVersionUID = 1L;

  ApiServerException(String message) {
    super(message);
  }

  ApiServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
