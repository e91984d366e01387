package org.debvisor.controller.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.debvisor.proto.HypervisorDetails;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.Subsystem;

/** One hypervisor node as the fleet reports it (nodes without libvirt are left out). */
public record HypervisorRow(
    String hostname,
    String state,
    boolean libvirtReachable,
    String driver,
    int cpus,
    long memoryTotalBytes,
    long memoryFreeBytes,
    Map<String, Integer> domainsByState,
    boolean stale) {

  /** Rows for every node that reports a hypervisor, in the given order. */
  public static List<HypervisorRow> from(List<NodeRecord> nodes) {
    List<HypervisorRow> rows = new ArrayList<>();
    for (NodeRecord node : nodes) {
      var reading = Subsystems.present(node, Subsystem.SUBSYSTEM_HYPERVISOR);
      if (reading.isEmpty()) {
        continue;
      }
      HypervisorDetails h = reading.get().getHypervisor();
      rows.add(
          new HypervisorRow(
              node.getHostname(),
              Subsystems.state(reading.get().getState()),
              h.getLibvirtReachable(),
              h.getDriver(),
              h.getHost().getCpus(),
              h.getHost().getMemoryTotalBytes(),
              h.getHost().getMemoryFreeBytes(),
              Map.copyOf(
                  h.getDomainsByStateMap().entrySet().stream()
                      .collect(
                          java.util.stream.Collectors.toMap(
                              Map.Entry::getKey, e -> e.getValue().intValue()))),
              node.getStale()));
    }
    return rows;
  }
}
