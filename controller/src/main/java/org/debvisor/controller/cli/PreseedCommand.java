package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code debvisor preseed}: groups the preseed commands. */
@Command(
    name = "preseed",
    mixinStandardHelpOptions = true,
    description = "Render and check Debian installer preseed files.")
final class PreseedCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
