package org.debvisor.controller.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.debvisor.controller.fleet.HypervisorRow;
import org.debvisor.proto.Subsystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hvctl nodes}: the fleet's hypervisors from the agents' last reports. */
@Command(
    name = "nodes",
    mixinStandardHelpOptions = true,
    description =
        "Hypervisor nodes as the agents last reported them: libvirt, CPUs, memory, domains.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every listed hypervisor is OK",
      "1:a hypervisor is not OK, or the controller could not be asked",
      "2:invalid arguments or selector"
    })
final class HvNodesCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin NodeQueryOptions query;

  private final Map<String, String> env;

  HvNodesCommand(Map<String, String> env) {
    this.env = env;
  }

  private final FleetListing<HypervisorRow> listing =
      new FleetListing<>(
          Subsystem.SUBSYSTEM_HYPERVISOR,
          "no node reports a hypervisor",
          HypervisorRow::from,
          r -> r.state().equals("OK") && !r.stale(),
          List.of("HOSTNAME", "STATE", "LIBVIRT", "DRIVER", "CPUS", "MEM FREE/TOTAL", "DOMAINS"),
          r ->
              new String[] {
                r.hostname(),
                r.state() + (r.stale() ? ",stale" : ""),
                r.libvirtReachable() ? "up" : "down",
                r.driver().isEmpty() ? "-" : r.driver(),
                Integer.toString(r.cpus()),
                gib(r.memoryFreeBytes()) + "/" + gib(r.memoryTotalBytes()) + " GiB",
                domains(r.domainsByState())
              });

  @Override
  public Integer call() {
    return listing.run(query, env, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  private static String gib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
  }

  private static String domains(Map<String, Integer> byState) {
    if (byState.isEmpty()) {
      return "-";
    }
    StringBuilder s = new StringBuilder();
    new TreeMap<>(byState)
        .forEach(
            (state, n) -> s.append(s.isEmpty() ? "" : " ").append(state).append('=').append(n));
    return s.toString();
  }
}
