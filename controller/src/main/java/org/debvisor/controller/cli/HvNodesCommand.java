package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.debvisor.controller.fleet.Coverage;
import org.debvisor.controller.fleet.HypervisorRow;
import org.debvisor.proto.NodeRecord;
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
public final class HvNodesCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin NodeQueryOptions query;

  private final Map<String, String> env;

  HvNodesCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<NodeRecord> nodes;
    try {
      nodes =
          FleetQuery.nodes(
              query.client,
              env,
              query.selector,
              err,
              DebvisorCli.EXIT_FAILURE,
              DebvisorCli.EXIT_INVALID);
    } catch (FleetQuery.Failure e) {
      return e.exitCode;
    }
    List<HypervisorRow> rows = HypervisorRow.from(nodes);
    boolean allOk = rows.stream().allMatch(r -> r.state().equals("OK") && !r.stale());
    if (query.output == OutputFormat.json) {
      out.println(FleetQuery.json(rows));
      return allOk ? 0 : DebvisorCli.EXIT_FAILURE;
    }
    if (rows.isEmpty()) {
      out.println(
          "no node reports a hypervisor ("
              + Coverage.describe(nodes, Subsystem.SUBSYSTEM_HYPERVISOR)
              + ")");
      return 0;
    }
    List<String[]> table = new ArrayList<>();
    table.add(
        new String[] {
          "HOSTNAME", "STATE", "LIBVIRT", "DRIVER", "CPUS", "MEM FREE/TOTAL", "DOMAINS"
        });
    for (HypervisorRow r : rows) {
      table.add(
          new String[] {
            r.hostname(),
            r.state() + (r.stale() ? ",stale" : ""),
            r.libvirtReachable() ? "up" : "down",
            r.driver().isEmpty() ? "-" : r.driver(),
            Integer.toString(r.cpus()),
            gib(r.memoryFreeBytes()) + "/" + gib(r.memoryTotalBytes()) + " GiB",
            domains(r.domainsByState())
          });
    }
    NodeTable.print(table, out);
    return allOk ? 0 : DebvisorCli.EXIT_FAILURE;
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
