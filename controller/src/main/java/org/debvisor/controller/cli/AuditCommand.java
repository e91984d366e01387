package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code debvisor audit}: The controller's tamper-evident audit log. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "The controller's tamper-evident audit log.")
final class AuditCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
