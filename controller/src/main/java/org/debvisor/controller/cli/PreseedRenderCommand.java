package org.debvisor.controller.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.debvisor.common.file.ReplacedFile;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.NodeLoader;
import org.debvisor.controller.preseed.LateCommandBuilder;
import org.debvisor.controller.preseed.PreseedData;
import org.debvisor.controller.preseed.PreseedGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code debvisor preseed render}: node.yaml + role profile → preseed file. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Validate node.yaml and write the preseed for an unattended Debian 13 install.",
      "Every problem is listed with its field and rule; nothing is written then."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:preseed written",
      "1:failure (I/O, missing tool)",
      "2:invalid node.yaml, profile or arguments (file, field and rule are printed)"
    })
final class PreseedRenderCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--node", required = true, paramLabel = "FILE", description = "The node.yaml.")
  Path node;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description = "Role profile (ceph, hypervisor, k8s); overrides node.yaml's profile.")
  String profile;

  @Option(
      names = "--arch",
      defaultValue = "amd64",
      paramLabel = "ARCH",
      description = "amd64 or arm64 (default: ${DEFAULT-VALUE}).")
  String arch;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write here instead of standard output (replaced atomically).")
  Path out;

  @Option(
      names = "--preseed-dir",
      paramLabel = "DIR",
      description = "The preseed/ data folder (default: beside the jar, else the built-in copy).")
  Path preseedDir;

  @Option(
      names = "--agent-package",
      paramLabel = "PATH",
      defaultValue = LateCommandBuilder.DEFAULT_AGENT_PACKAGE,
      description = "Where the agent .deb is on the installer media (default: ${DEFAULT-VALUE}).")
  String agentPackage;

  private final PreseedDataLocator locator;

  public PreseedRenderCommand(PreseedDataLocator locator) {
    this.locator = locator;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Architecture architecture;
    try {
      architecture = Architecture.parse(arch);
    } catch (IllegalArgumentException e) {
      err.println("error: --arch: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    String text;
    try {
      PreseedData data = locator.load(preseedDir);
      NodeInstall install = new NodeLoader().load(node);
      if (profile != null) {
        install = install.withProfile(profile);
      }
      text =
          new PreseedGenerator(data, agentPackage).generate(node.toString(), install, architecture);
    } catch (InvalidInputException e) {
      err.println("error: invalid input in " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    if (out == null) {
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.print(text);
      stdout.flush();
    } else {
      ReplacedFile.writeString(out, text);
      err.println("wrote " + out);
    }
    return 0;
  }
}
