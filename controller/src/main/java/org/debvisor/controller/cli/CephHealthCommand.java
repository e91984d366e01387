package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.cli.output.NodeTable;
import org.debvisor.controller.cli.output.OutputFormat;
import org.debvisor.controller.fleet.CephHealthReport;
import org.debvisor.controller.fleet.Coverage;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.Subsystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cephctl health}: the fleet's Ceph clusters from the agents' last reports. */
@Command(
    name = "health",
    mixinStandardHelpOptions = true,
    description = {
      "Ceph health as the agents last reported it to the controller: per cluster the freshest "
          + "reading of any node, and the worst status overall."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:HEALTH_OK",
      "1:HEALTH_WARN",
      "2:HEALTH_ERR",
      "3:unknown: no node reports Ceph, or the controller could not be asked",
      "64:invalid arguments or selector"
    })
final class CephHealthCommand implements Callable<Integer> {

  /** Exit code for bad usage; 2 already means HEALTH_ERR here. */
  static final int EXIT_USAGE = 64;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin NodeQueryOptions query;

  private final Map<String, String> env;

  CephHealthCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<NodeRecord> nodes;
    try {
      nodes = FleetQuery.nodes(query.client, env, query.selector, err, 3, EXIT_USAGE);
    } catch (FleetQuery.Failure e) {
      return e.exitCode;
    }
    CephHealthReport report = CephHealthReport.from(nodes);
    if (query.output == OutputFormat.json) {
      out.println(FleetQuery.json(report));
      return report.exitCode();
    }
    if (report.clusters().isEmpty()) {
      out.println(
          "UNKNOWN: no node reports Ceph ("
              + Coverage.describe(nodes, Subsystem.SUBSYSTEM_CEPH)
              + ")");
      return report.exitCode();
    }
    out.println(report.overall());
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"FSID", "HEALTH", "MONS", "OSDS UP/IN/TOTAL", "REPORTED BY", "AT"});
    for (CephHealthReport.Cluster c : report.clusters()) {
      rows.add(
          new String[] {
            c.fsid(),
            c.health(),
            c.monsInQuorum() + "/" + c.monsTotal(),
            c.osdsUp() + "/" + c.osdsIn() + "/" + c.osdsTotal(),
            c.reportedBy(),
            c.collectedAt()
          });
    }
    NodeTable.print(rows, out);
    for (CephHealthReport.Cluster c : report.clusters()) {
      for (String check : c.checks()) {
        out.println("  " + c.fsid() + " " + check);
      }
    }
    return report.exitCode();
  }
}
