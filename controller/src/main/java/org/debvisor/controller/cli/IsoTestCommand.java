package org.debvisor.controller.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.mirror.ConsoleProgress;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.qemu.ImageInstallPhase;
import org.debvisor.controller.qemu.ImageMediaBootTest;
import org.debvisor.controller.qemu.ImageTestReport;
import org.debvisor.controller.qemu.InstallPhase;
import org.debvisor.controller.qemu.IsoBootTest;
import org.debvisor.controller.qemu.IsoTestReport;
import org.debvisor.controller.qemu.IsoTestRequest;
import org.debvisor.controller.qemu.QemuLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code debvisor iso test}: boot an installer ISO in QEMU and report the install phase by phase.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Boot ISO in QEMU (KVM if a probe boot works, else TCG; user networking only) on an empty "
          + "disk, follow the unattended install on the serial console and report each phase's time; "
          + "when it stops, the phase, the reason (e.g. a component the mirror answered 404 for) and "
          + "the last console lines. Serial log and VT4 screendumps stay in the work directory."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the install finished",
      "1:the install stopped before finishing (report printed), or QEMU could not run",
      "2:invalid arguments"
    })
final class IsoTestCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ISO", description = "The installer ISO.")
  Path iso;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      defaultValue = "amd64",
      description = "amd64 (default) or arm64.")
  String arch;

  @Option(names = "--uefi", description = "amd64: boot with OVMF instead of BIOS.")
  boolean uefi;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "15m",
      description = "Give up after this long, like 90s, 15m, 1h (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--idle",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description =
          "Stop when the console shows nothing new this long (default: ${DEFAULT-VALUE}).")
  String idle;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "preseed",
      description = {
        "preseed (default): follow debian-installer to the end of the install. "
            + "image: media from iso build --mode image; install, boot the installed disk, log in with",
        "--ssh-key and call the agent's Node/Status through an SSH port forward."
      })
  String mode;

  @Option(
      names = "--ssh-key",
      paramLabel = "FILE",
      description = "With --mode image: private key of an SSH key node.yaml installs.")
  Path sshKey;

  @Option(
      names = "--ssh-user",
      paramLabel = "NAME",
      defaultValue = "root",
      description = "With --mode image: the account that key logs in to (default: root).")
  String sshUser;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Work directory for logs and screendumps (default: a new temporary one).")
  Path work;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Architecture architecture;
    IsoTestRequest request;
    Duration idleLimit;
    try {
      architecture = Architecture.parse(arch);
      if (uefi && architecture == Architecture.ARM64) {
        throw new IllegalArgumentException("--uefi: arm64 always boots UEFI; leave it out");
      }
      if (!Files.isRegularFile(iso)) {
        throw new IllegalArgumentException("ISO: no such file " + iso);
      }
      idleLimit = DurationOption.parse("--idle", idle);
      Path dir = work != null ? work : Files.createTempDirectory("debvisor-iso-test");
      request =
          new IsoTestRequest(
              iso, architecture, uefi, DurationOption.parse("--timeout", timeout), dir);
      if (!mode.equals("preseed") && !mode.equals("image")) {
        throw new IllegalArgumentException("--mode: " + mode + " is not preseed or image");
      }
      if (mode.equals("image") && (sshKey == null || !Files.isRegularFile(sshKey))) {
        throw new IllegalArgumentException(
            "--mode image needs --ssh-key FILE: the private key of a key in node.yaml's accounts"
                + (sshKey == null ? "" : " (no such file " + sshKey + ")"));
      }
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    if (mode.equals("image")) {
      ImageTestReport report =
          new ImageMediaBootTest(new QemuLauncher(), new ConsoleProgress(err))
              .run(request, sshKey, sshUser);
      printImage(report, out);
      return report.finished() ? 0 : DebvisorCli.EXIT_FAILURE;
    }
    IsoTestReport report =
        new IsoBootTest(new QemuLauncher(), new ConsoleProgress(err), idleLimit).run(request);
    print(report, out);
    return report.finished() ? 0 : DebvisorCli.EXIT_FAILURE;
  }

  private static void printImage(ImageTestReport report, PrintWriter out) {
    out.printf("accelerator: %s%n", report.accelerator());
    Duration previous = Duration.ZERO;
    for (Map.Entry<ImageInstallPhase, Duration> e :
        report.reached().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      out.printf(
          "phase %-28s at %5ds  (+%ds)%n",
          e.getKey().label(), e.getValue().toSeconds(), e.getValue().minus(previous).toSeconds());
      previous = e.getValue();
    }
    if (report.finished()) {
      out.printf(
          "outcome: FINISHED: agent on %s answered Status (%s)%n",
          report.agentHostname(), report.agentSummary());
    } else {
      out.printf("outcome: STOPPED%n");
      report.reason().ifPresent(r -> out.printf("reason: %s%n", r));
      out.println("last console lines:");
      report.lastLines().forEach(l -> out.println("  " + l));
    }
    out.printf("logs: %s%n", report.workDir());
    out.flush();
  }

  private static void print(IsoTestReport report, PrintWriter out) {
    out.printf("accelerator: %s%n", report.accelerator());
    Duration previous = Duration.ZERO;
    for (Map.Entry<InstallPhase, Duration> e :
        report.reached().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      out.printf(
          "phase %-24s at %5ds  (+%ds)%n",
          e.getKey().label(), e.getValue().toSeconds(), e.getValue().minus(previous).toSeconds());
      previous = e.getValue();
    }
    out.printf("outcome: %s after phase '%s'%n", report.outcome(), report.furthest().label());
    report.reason().ifPresent(r -> out.printf("reason: %s%n", r));
    for (String name : report.missingComponents()) {
      out.printf("MISSING %s%n", name);
    }
    if (!report.finished()) {
      out.println("last console lines:");
      report.lastLines().forEach(l -> out.println("  " + l));
    }
    out.printf("logs: %s%n", report.workDir());
    out.flush();
  }
}
