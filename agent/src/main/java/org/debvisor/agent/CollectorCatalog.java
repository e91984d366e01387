package org.debvisor.agent;

import java.util.List;
import org.debvisor.agent.collect.Collector;
import org.debvisor.agent.collect.ceph.CephCollector;
import org.debvisor.agent.collect.hypervisor.HypervisorCollector;
import org.debvisor.agent.collect.kubernetes.KubernetesCollector;
import org.debvisor.agent.collect.system.SystemCollector;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.CollectorsSettings;
import org.debvisor.proto.NodeIdentity;

/** The health sources of an agent, built from its settings. */
final class CollectorCatalog {

  private CollectorCatalog() {}

  static List<Collector> create(AgentSettings settings, NodeIdentity identity) {
    CollectorsSettings c = settings.collectors();
    return List.of(
        new CephCollector(c.ceph()),
        new HypervisorCollector(c.hypervisor()),
        new KubernetesCollector(c.kubernetes(), identity.getHostname()),
        new SystemCollector(c.system()));
  }
}
