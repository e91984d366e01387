package org.debvisor.controller.fleet;

import java.util.List;
import java.util.stream.Collectors;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.Subsystem;

/**
 * Why a fleet view is empty: which nodes were asked and what each said of the subsystem, so an
 * operator can tell "no such nodes" from "nodes without that software" or "no report yet".
 */
public final class Coverage {

  private static final int MAX_NAMED = 10;

  private Coverage() {}

  /** e.g. {@code "2 nodes asked: dvn-node-1 absent, dvn-node-2 no report yet"}. */
  public static String describe(List<NodeRecord> nodes, Subsystem subsystem) {
    if (nodes.isEmpty()) {
      return "no enrolled node matches";
    }
    String named =
        nodes.stream()
            .limit(MAX_NAMED)
            .map(n -> n.getHostname() + " " + saidOf(n, subsystem))
            .collect(Collectors.joining(", "));
    String more = nodes.size() > MAX_NAMED ? ", …" : "";
    return nodes.size() + (nodes.size() == 1 ? " node" : " nodes") + " asked: " + named + more;
  }

  private static String saidOf(NodeRecord node, Subsystem subsystem) {
    if (!node.hasLastStatus()) {
      return "no report yet";
    }
    return node.getLastStatus().getSubsystemsList().stream()
        .filter(s -> s.getSubsystem() == subsystem)
        .findFirst()
        .map(s -> Subsystems.state(s.getState()).toLowerCase(java.util.Locale.ROOT))
        .orElse("not reported");
  }
}
