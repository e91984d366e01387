package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code debvisor node}: Act on one enrolled node (revoke). */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Act on one enrolled node (revoke).")
final class NodeCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
