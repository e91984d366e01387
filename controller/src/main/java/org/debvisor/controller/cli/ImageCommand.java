package org.debvisor.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code debvisor image}: groups the installable image commands. */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    description = "Build the DebVisor image (root filesystem, kernel, installer initramfs).")
final class ImageCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
