package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code debvisor user}: operator accounts of the HTTPS API. */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description = {
      "Operator accounts of the HTTPS API (roles admin, operator, viewer), kept in "
          + "<state-dir>/controller.db; every change is audited. Works while the controller runs."
    })
final class UserCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
