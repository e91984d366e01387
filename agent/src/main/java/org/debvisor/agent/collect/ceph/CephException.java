package org.debvisor.agent.collect.ceph;

/** Ceph could not be read; the message says why in words an operator can act on. */
public class CephException extends Exception {

  private static final long serialVersionUID = 1L;

  public CephException(String message) {
    super(message);
  }

  public CephException(String message, Throwable cause) {
    super(message, cause);
  }
}
