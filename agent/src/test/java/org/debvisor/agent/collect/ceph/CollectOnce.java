package org.debvisor.agent.collect.ceph;

import java.nio.file.Path;
import org.debvisor.agentapi.CephSettings;
import org.debvisor.proto.SubsystemStatus;

/** Collects twice in a fresh JVM and prints "STATE|message" for each; see the librados test. */
final class CollectOnce {

  private CollectOnce() {}

  public static void main(String[] args) throws Exception {
    CephSettings settings =
        new CephSettings(true, Path.of(args[0]), "debvisor", null, null, null, null);
    try (CephCollector collector = new CephCollector(settings)) {
      for (int i = 0; i < 2; i++) {
        SubsystemStatus status = collector.collect();
        System.out.println(status.getState() + "|" + status.getMessage());
      }
    }
  }
}
