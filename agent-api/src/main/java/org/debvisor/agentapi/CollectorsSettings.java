package org.debvisor.agentapi;

/** Settings of each health collector. */
public record CollectorsSettings(
    CephSettings ceph,
    HypervisorSettings hypervisor,
    KubernetesSettings kubernetes,
    SystemSettings system) {

  public CollectorsSettings {
    ceph = ceph == null ? new CephSettings(null, null, null, null, null, null, null) : ceph;
    hypervisor =
        hypervisor == null ? new HypervisorSettings(null, null, null, null, null) : hypervisor;
    kubernetes =
        kubernetes == null ? new KubernetesSettings(null, null, null, null, null) : kubernetes;
    system = system == null ? new SystemSettings(null, null, null, null) : system;
  }
}
