package org.debvisor.controller.cli;

import picocli.CommandLine.Command;

/** {@code debvisor rollout}: change a fleet's configuration in canary and waves. */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = {
      "Roll a configuration bundle out to the nodes a selector picks: a canary, then waves, "
          + "a gate after each, automatic rollback on failure. See docs/rollouts.md."
    })
final class RolloutCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
