package org.debvisor.agent.collect.ceph;

/** This node has no Ceph client to ask with (no ceph.conf, disabled, or no librados2). */
public final class CephNotConfiguredException extends CephException {

  private static final long serialVersionUID = 1L;

  public CephNotConfiguredException(String message) {
    super(message);
  }
}
