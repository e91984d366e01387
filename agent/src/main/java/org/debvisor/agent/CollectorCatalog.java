package org.debvisor.agent;

import java.util.List;
import org.debvisor.agent.collect.Collector;
import org.debvisor.agent.collect.system.SystemCollector;
import org.debvisor.agent.settings.AgentSettings;
import org.debvisor.proto.NodeIdentity;

/** The health sources of an agent, built from its settings. */
final class CollectorCatalog {

  private CollectorCatalog() {}

  static List<Collector> create(AgentSettings settings, NodeIdentity identity) {
    return List.of(new SystemCollector(settings.collectors().system()));
  }
}
