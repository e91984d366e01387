package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code debvisor sbom}: software bills of materials of DebVisor's release artifacts. */
@Command(
    name = "sbom",
    mixinStandardHelpOptions = true,
    description = "Software bills of materials (CycloneDX) of DebVisor's release artifacts.")
final class SbomCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
