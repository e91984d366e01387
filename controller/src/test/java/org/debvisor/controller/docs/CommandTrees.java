package org.debvisor.controller.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.debvisor.controller.cli.DebvisorCli;
import org.debvisor.controller.cli.FleetCli;
import picocli.CommandLine;

/**
 * The real command trees of the controller's programs, built through the same factories their main
 * classes use, so the docs are checked against what a user runs.
 */
final class CommandTrees {

  private static final Map<String, Supplier<CommandLine>> PROGRAMS =
      Map.of(
          "debvisor", () -> DebvisorCli.create(null, Map.of()),
          "debvisor-provision-node", () -> DebvisorCli.provisionNode(null, Map.of()),
          "cephctl", () -> FleetCli.cephctl(Map.of()),
          "hvctl", () -> FleetCli.hvctl(Map.of()),
          "k8sctl", () -> FleetCli.k8sctl(Map.of()));

  private CommandTrees() {}

  static Set<String> programs() {
    return PROGRAMS.keySet();
  }

  /** A fresh tree of {@code program} (commands keep parse state, so each run gets its own). */
  static CommandLine of(String program) {
    return PROGRAMS.get(program).get();
  }

  /** One tree per program, for checks that only read the trees. */
  static Map<String, CommandLine> all() {
    Map<String, CommandLine> trees = new java.util.HashMap<>();
    PROGRAMS.forEach((program, factory) -> trees.put(program, factory.get()));
    return trees;
  }

  /** Every command path of every program, e.g. {@code [debvisor, nodes, list]}. */
  static List<List<String>> allPaths() {
    List<List<String>> paths = new ArrayList<>();
    for (String program : PROGRAMS.keySet().stream().sorted().toList()) {
      collect(List.of(program), of(program), paths, false);
    }
    return paths;
  }

  /** The paths of the commands that do something themselves and are not hidden. */
  static List<List<String>> visibleLeafPaths() {
    List<List<String>> paths = new ArrayList<>();
    for (String program : List.of("debvisor", "cephctl", "hvctl", "k8sctl")) {
      collect(List.of(program), of(program), paths, true);
    }
    return paths;
  }

  private static void collect(
      List<String> path, CommandLine command, List<List<String>> into, boolean leavesOnly) {
    if (leavesOnly && command.getCommandSpec().usageMessage().hidden()) {
      return;
    }
    if (!leavesOnly || command.getSubcommands().isEmpty()) {
      into.add(path);
    }
    command.getSubcommands().entrySet().stream()
        .filter(e -> e.getKey().equals(e.getValue().getCommandName())) // aliases once
        .forEach(
            e -> {
              List<String> sub = new ArrayList<>(path);
              sub.add(e.getKey());
              collect(sub, e.getValue(), into, leavesOnly);
            });
  }
}
