package org.debvisor.agent.collect.hypervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HypervisorDetails;
import org.debvisor.proto.HypervisorDomain;
import org.debvisor.proto.HypervisorStoragePool;

/** Judges a hypervisor reading: crashed domains and storage pools that are not running warn. */
record HypervisorHealth(HealthState state, String message) {

  static HypervisorHealth of(HypervisorDetails details) {
    List<String> problems = new ArrayList<>();
    int crashed = details.getDomainsByStateOrDefault("crashed", 0);
    if (crashed > 0) {
      List<String> named =
          details.getDomainsList().stream()
              .filter(d -> d.getState().equals("crashed"))
              .map(HypervisorDomain::getName)
              .toList();
      String problem = crashed + (crashed == 1 ? " domain" : " domains") + " crashed";
      if (!named.isEmpty()) {
        problem += ": " + String.join(", ", named);
        if (crashed > named.size()) {
          problem += " and " + (crashed - named.size()) + " more";
        }
      }
      problems.add(problem);
    }
    for (HypervisorStoragePool pool : details.getStoragePoolsList()) {
      if (!pool.getState().equals("running")) {
        problems.add("storage pool " + pool.getName() + " is " + pool.getState());
      }
    }
    String summary = summary(details);
    if (problems.isEmpty()) {
      return new HypervisorHealth(HealthState.HEALTH_OK, summary);
    }
    return new HypervisorHealth(
        HealthState.HEALTH_WARN, String.join("; ", problems) + " (" + summary + ")");
  }

  private static String summary(HypervisorDetails details) {
    Map<String, Integer> byState = details.getDomainsByStateMap();
    int total = byState.values().stream().mapToInt(Integer::intValue).sum();
    String states =
        byState.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", "));
    return details.getDriver()
        + " "
        + details.getHypervisorVersion()
        + " via libvirt "
        + details.getLibvirtVersion()
        + ": "
        + total
        + (total == 1 ? " domain" : " domains")
        + (states.isEmpty() ? "" : " (" + states + ")")
        + ", "
        + details.getStoragePoolsCount()
        + (details.getStoragePoolsCount() == 1 ? " storage pool" : " storage pools");
  }
}
