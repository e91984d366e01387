package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code debvisor iso}: groups the installer ISO commands. */
@Command(
    name = "iso",
    mixinStandardHelpOptions = true,
    description = "Build Debian 13 installer ISOs and check the mirror they install from.")
final class IsoCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
