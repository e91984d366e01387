package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code debvisor controller}: groups the commands that run the controller itself. */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = "Run the DebVisor controller (enrolment, inventory, audit).")
final class ControllerCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
