package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code debvisor token}: Bootstrap tokens that let a node enrol once. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Bootstrap tokens that let a node enrol once.")
final class TokenCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
