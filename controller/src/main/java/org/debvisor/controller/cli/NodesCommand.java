package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code debvisor nodes}: The fleet as the controller sees it. */
@Command(
    name = "nodes",
    mixinStandardHelpOptions = true,
    description = "The fleet as the controller sees it.")
final class NodesCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
