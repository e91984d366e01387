package org.debvisor.controller.cli;

import picocli.CommandLine.Command;

/** {@code debvisor}: the controller's command line. */
@Command(
    name = "debvisor",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "DebVisor controller: build node installs, run the controller, manage the fleet.",
    subcommandsRepeatable = false,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure", "2:invalid input or arguments"})
final class DebvisorCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
