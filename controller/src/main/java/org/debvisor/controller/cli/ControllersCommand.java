package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code debvisor controllers}: the controllers sharing one database. */
@Command(
    name = "controllers",
    mixinStandardHelpOptions = true,
    description = "The controllers sharing one database, and which of them leads.")
final class ControllersCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
