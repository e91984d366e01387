package org.debvisor.controller.cli;

import org.debvisor.controller.node.Architecture;
import picocli.CommandLine.Option;

/** The required {@code --arch} of the commands that build for one architecture. */
final class ArchOption {

  @Option(names = "--arch", required = true, paramLabel = "ARCH", description = "amd64 or arm64.")
  String arch;

  /** The architecture; its message names the choices when the value is not one. */
  Architecture parse() {
    return Architecture.parse(arch);
  }
}
