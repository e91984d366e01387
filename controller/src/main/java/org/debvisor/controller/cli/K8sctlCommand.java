package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code k8sctl}: Kubernetes nodes of the DebVisor fleet, as the controller sees them. */
@Command(
    name = "k8sctl",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Kubernetes nodes of the DebVisor fleet, as the controller sees them.")
final class K8sctlCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
