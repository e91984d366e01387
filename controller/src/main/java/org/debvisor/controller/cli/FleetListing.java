package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.debvisor.controller.cli.output.NodeTable;
import org.debvisor.controller.cli.output.OutputFormat;
import org.debvisor.controller.fleet.Coverage;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.Subsystem;

/**
 * What {@code hvctl nodes} and {@code k8sctl nodes} share: ask the controller, turn the nodes into
 * rows, print them as JSON or a table (or say which nodes were asked when none reports the
 * subsystem), and exit 1 when a row is not healthy.
 *
 * @param subsystem the subsystem the rows describe, for the "nobody reports it" line
 * @param nothingReported e.g. "no node reports a hypervisor"
 * @param rows builds the rows from the node records (nodes without the subsystem left out)
 * @param healthy whether a row counts as healthy for the exit code
 * @param header the table's column names
 * @param cells one table line per row, in header order
 */
record FleetListing<R>(
    Subsystem subsystem,
    String nothingReported,
    Function<List<NodeRecord>, List<R>> rows,
    Predicate<R> healthy,
    List<String> header,
    Function<R, String[]> cells) {

  /** Runs the listing; returns the command's exit code. */
  int run(NodeQueryOptions query, Map<String, String> env, PrintWriter out, PrintWriter err) {
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
    List<R> listed = rows.apply(nodes);
    int exit = listed.stream().allMatch(healthy) ? 0 : DebvisorCli.EXIT_FAILURE;
    if (query.output == OutputFormat.json) {
      out.println(FleetQuery.json(listed));
      return exit;
    }
    if (listed.isEmpty()) {
      out.println(nothingReported + " (" + Coverage.describe(nodes, subsystem) + ")");
      return 0;
    }
    List<String[]> table = new ArrayList<>();
    table.add(header.toArray(String[]::new));
    listed.forEach(r -> table.add(cells.apply(r)));
    NodeTable.print(table, out);
    return exit;
  }
}
