package org.debvisor.controller.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.debvisor.common.digest.Sha256WarmUp;
import org.debvisor.controller.buildmetrics.BuildOutcome;
import org.debvisor.controller.cli.output.PreflightOutput;
import org.debvisor.controller.install.ImageInstall;
import org.debvisor.controller.install.InstallImage;
import org.debvisor.controller.install.InstallImageException;
import org.debvisor.controller.iso.BootMenus;
import org.debvisor.controller.iso.BuildMetrics;
import org.debvisor.controller.iso.DerivedFiles;
import org.debvisor.controller.iso.IsoAssembler;
import org.debvisor.controller.iso.IsoBuildRequest;
import org.debvisor.controller.iso.IsoBuildResult;
import org.debvisor.controller.iso.IsoBuilder;
import org.debvisor.controller.iso.IsoTemplates;
import org.debvisor.controller.iso.ToolRunner;
import org.debvisor.controller.mirror.ArchiveIndexes;
import org.debvisor.controller.mirror.ConsoleProgress;
import org.debvisor.controller.mirror.InstallerFetcher;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.MirrorClient;
import org.debvisor.controller.mirror.MirrorPreflight;
import org.debvisor.controller.mirror.PreflightReport;
import org.debvisor.controller.mirror.Progress;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.NodeInstall;
import org.debvisor.controller.node.Profile;
import org.debvisor.controller.preseed.LateCommandBuilder;
import org.debvisor.controller.preseed.PreseedData;
import org.debvisor.controller.preseed.PreseedGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code debvisor iso build}: node.yaml + profile → verified, reproducible installer ISO. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch and verify the Debian 13 netboot installer, add the node's preseed and build a "
          + "hybrid ISO (amd64: BIOS + UEFI, arm64: UEFI) with SHA256SUMS and metrics beside it."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ISO written",
      "1:failure (download, signature, checksum, xorriso; the cause is printed)",
      "2:invalid node.yaml, profile or arguments"
    })
final class IsoBuildCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ArchOption arch;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description = "Role profile; overrides node.yaml.")
  String profile;

  @Option(names = "--node", required = true, paramLabel = "FILE", description = "The node.yaml.")
  Path node;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Mixin MirrorOptions archive;

  @Option(
      names = "--agent-deb",
      paramLabel = "FILE",
      description = "Agent package to put on the media as /debvisor/debvisor-agent.deb.")
  Path agentDeb;

  @Option(
      names = "--source-date-epoch",
      paramLabel = "SECONDS",
      description = "Timestamp of every file (default: $SOURCE_DATE_EPOCH, else 2026-01-01).")
  Long sourceDateEpoch;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = {
        "preseed (default): debian-installer installs from the mirror, answered by a preseed. "
            + "image: the media carry an image from debvisor image build and install it without a "
            + "mirror (needs --image)."
      })
  String mode = "preseed";

  @Option(
      names = "--image",
      paramLabel = "DIR",
      description = "With --mode image: the output directory of debvisor image build.")
  Path image;

  @Option(
      names = "--controller-ca",
      paramLabel = "FILE",
      description =
          "With an agent section in node.yaml: the controller's CA certificate (PEM), checked"
              + " against agent.caFingerprint and installed for enrolment.")
  Path controllerCa;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  @Option(
      names = "--skip-preflight",
      description = "Do not check first that the mirror serves every installer component.")
  boolean skipPreflight;

  @Option(
      names = "--require-complete-mirror",
      description = "Fail (exit 1) instead of warning when the preflight finds missing components.")
  boolean requireCompleteMirror;

  @Option(
      names = "--metrics-textfile",
      paramLabel = "FILE",
      description =
          "Also record the build in this node_exporter textfile-collector file (*.prom),"
              + " replaced atomically; counters carry over from the previous file.")
  Path metricsTextfile;

  private final IsoBuildInputs inputs;

  /**
   * @param inputs the node.yaml reader and preseed data, possibly loading already
   */
  IsoBuildCommand(IsoBuildInputs inputs) {
    this.inputs = inputs;
  }

  @Override
  public Integer call() throws Exception {
    // The ISO is hashed at the end: compiled by then, its 56 MB take milliseconds, not most of
    // a second (see Sha256WarmUp).
    Sha256WarmUp.start();
    PrintWriter err = spec.commandLine().getErr();
    Architecture architecture;
    String preseed;
    NodeInstall install;
    ImageInstall imageInstall = null;
    try {
      architecture = arch.parse();
      install = inputs.nodeLoader().load(node);
      if (profile != null) {
        install = install.withProfile(profile);
      }
      if (agentDeb != null && !Files.isRegularFile(agentDeb)) {
        err.println("error: --agent-deb: no such file " + agentDeb);
        return DebvisorCli.EXIT_INVALID;
      }
      PreseedData data = inputs.preseedData();
      preseed =
          new PreseedGenerator(data, LateCommandBuilder.DEFAULT_AGENT_PACKAGE)
              .generate(node.toString(), install, architecture);
      switch (mode) {
        case "preseed" -> {
          if (image != null) {
            err.println("error: --image needs --mode image");
            return DebvisorCli.EXIT_INVALID;
          }
          if (install.agent() != null && controllerCa == null) {
            err.println(
                "error: node.yaml has an agent section: give --controller-ca FILE (the installer"
                    + " copies it to the node for enrolment)");
            return DebvisorCli.EXIT_INVALID;
          }
          if (controllerCa != null && !Files.isRegularFile(controllerCa)) {
            err.println("error: --controller-ca: no such file " + controllerCa);
            return DebvisorCli.EXIT_INVALID;
          }
        }
        case "image" -> {
          if (image == null) {
            err.println(
                "error: --mode image needs --image DIR (the output of debvisor image build)");
            return DebvisorCli.EXIT_INVALID;
          }
          imageInstall = prepareImage(install, data, architecture);
          preseed = "";
        }
        default -> {
          err.println("error: --mode: " + mode + " is not preseed or image");
          return DebvisorCli.EXIT_INVALID;
        }
      }
    } catch (InstallImageException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    } catch (IOException e) {
      err.println("error: cannot read " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    } catch (InvalidInputException e) {
      err.println("error: invalid input in " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    Progress progress = quiet ? Progress.NONE : new ConsoleProgress(err);
    long epoch = effectiveEpoch();
    BuildMetrics metrics = new BuildMetrics();
    long started = System.nanoTime();
    boolean built = false;
    try {
      MirrorOptions.Archive opened = archive.open(progress);
      MirrorClient client = opened.client();
      ArchiveIndexes indexes = opened.indexes();
      InstallerFetcher installers = opened.installers();
      IsoBuildRequest request =
          new IsoBuildRequest(
              architecture,
              install.profile(),
              install.hostname(),
              preseed,
              opened.installerVersion(),
              agentDeb,
              out,
              epoch,
              imageInstall,
              imageInstall == null ? controllerCa : null);
      // Image media install without a mirror: the installer's components are not needed.
      if (imageInstall == null
          && !skipPreflight
          && !preflight(indexes, installers, client, progress, request, err)) {
        return DebvisorCli.EXIT_FAILURE;
      }
      IsoBuilder builder =
          new IsoBuilder(
              installers,
              new IsoAssembler(
                  new ToolRunner(epoch),
                  new BootMenus(new IsoTemplates(null)),
                  new DerivedFiles(installers.cache(), progress),
                  progress),
              progress);
      IsoBuildResult result = builder.build(request, metrics);
      built = true;
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.println(result.sha256() + "  " + result.iso());
      stdout.flush();
      return 0;
    } catch (IsoBuildException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    } finally {
      if (metricsTextfile != null) {
        BuildOutcome outcome =
            metrics
                .outcome()
                .orElse(
                    new BuildOutcome(
                        "iso",
                        architecture.debianName(),
                        BuildMetrics.OS,
                        (System.nanoTime() - started) / 1e9,
                        built,
                        OptionalInt.empty()));
        BuildTextfiles.record(metricsTextfile, outcome, err);
      }
    }
  }

  /**
   * Runs the mirror preflight ("before every build"): missing components are a warning, or a
   * failure with {@code --require-complete-mirror}. Returns whether the build may go on.
   */
  private boolean preflight(
      ArchiveIndexes indexes,
      InstallerFetcher installers,
      MirrorClient client,
      Progress progress,
      IsoBuildRequest request,
      PrintWriter err) {
    // The installer index only selects which files to ask for, so an unverified copy will do.
    MirrorPreflight preflight = new MirrorPreflight(indexes, installers, client, progress, true);
    String prefix = requireCompleteMirror ? "error: preflight: " : "warning: preflight: ";
    try {
      PreflightReport report = preflight.check(request.arch(), request.installerVersion());
      if (report.ok()) {
        return true;
      }
      PreflightOutput.print(report, client.base(), prefix, err);
      if (!requireCompleteMirror) {
        err.println(
            "warning: preflight: an install from this mirror will stop at the first missing"
                + " component (--require-complete-mirror makes this an error)");
      }
      return !requireCompleteMirror;
    } catch (IsoBuildException e) {
      err.println(prefix + "could not check the mirror: " + e.getMessage());
      return !requireCompleteMirror;
    }
  }

  private ImageInstall prepareImage(NodeInstall install, PreseedData data, Architecture arch)
      throws InstallImageException, InvalidInputException, IOException {
    InstallImage built = InstallImage.open(image);
    String ca = null;
    if (controllerCa != null) {
      if (!Files.isRegularFile(controllerCa)) {
        throw new InstallImageException("--controller-ca: no such file " + controllerCa);
      }
      ca = Files.readString(controllerCa, StandardCharsets.US_ASCII);
    }
    Profile profileData = data.profiles().get(install.profile());
    return ImageInstall.prepare(
        node.toString(), install, profileData, arch, built, ca, effectiveEpoch());
  }

  private long effectiveEpoch() {
    if (sourceDateEpoch != null) {
      return sourceDateEpoch;
    }
    String env = System.getenv("SOURCE_DATE_EPOCH");
    return env != null && env.matches("\\d+") ? Long.parseLong(env) : IsoBuildRequest.DEFAULT_EPOCH;
  }
}
