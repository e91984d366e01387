package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hvctl}: Hypervisors of the DebVisor fleet, as the controller sees them. */
@Command(
    name = "hvctl",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Hypervisors of the DebVisor fleet, as the controller sees them.")
final class HvctlCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
