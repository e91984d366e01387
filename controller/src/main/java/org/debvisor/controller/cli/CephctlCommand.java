package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cephctl}: Ceph health of the DebVisor fleet, as the controller sees it. */
@Command(
    name = "cephctl",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Ceph health of the DebVisor fleet, as the controller sees it.")
final class CephctlCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
