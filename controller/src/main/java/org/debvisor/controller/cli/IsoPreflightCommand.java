package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.debvisor.controller.cli.output.PreflightOutput;
import org.debvisor.controller.mirror.ConsoleProgress;
import org.debvisor.controller.mirror.DebianArchive;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.MirrorClient;
import org.debvisor.controller.mirror.MirrorPreflight;
import org.debvisor.controller.mirror.PreflightReport;
import org.debvisor.controller.mirror.Progress;
import org.debvisor.controller.node.Architecture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code debvisor iso preflight}: does the mirror serve every installer component? */
@Command(
    name = "preflight",
    mixinStandardHelpOptions = true,
    description = {
      "Resolve the installer components a netboot install downloads (udebs of priority standard "
          + "and up for the installer's kernel, iso/preflight-base-udebs.txt, dependencies; minus the "
          + "initrd's) and ask the mirror for each. Lists every component it does not serve."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the mirror serves everything",
      "1:components missing (listed) or the check failed",
      "2:invalid arguments"
    })
final class IsoPreflightCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ArchOption arch;

  @Mixin MirrorOptions archive;

  @Option(
      names = "--allow-unverified-index",
      description = {
        "Use the mirror's debian-installer Packages index even when it does not match the signed "
            + "InRelease checksum (seen on partial mirrors); it only selects the files to check."
      })
  boolean allowUnverifiedIndex;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Architecture architecture;
    try {
      architecture = arch.parse();
    } catch (IllegalArgumentException e) {
      err.println("error: --arch: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    Progress progress = new ConsoleProgress(err);
    try {
      DebianArchive opened = archive.open(progress);
      MirrorPreflight preflight = opened.preflight(progress, allowUnverifiedIndex);
      PreflightReport report = preflight.check(architecture, opened.installerVersion());
      MirrorClient client = opened.client();
      PreflightOutput.print(report, client.base(), "", out);
      return report.ok() ? 0 : DebvisorCli.EXIT_FAILURE;
    } catch (IsoBuildException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    }
  }
}
