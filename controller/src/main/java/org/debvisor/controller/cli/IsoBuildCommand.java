package org.debvisor.controller.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.debvisor.common.digest.Sha256WarmUp;
import org.debvisor.controller.buildmetrics.BuildOutcome;
import org.debvisor.controller.cli.output.PreflightOutput;
import org.debvisor.controller.install.ImageInstall;
import org.debvisor.controller.install.InstallImage;
import org.debvisor.controller.install.InstallImageException;
import org.debvisor.controller.iso.BuildMetrics;
import org.debvisor.controller.iso.IsoBuildRequest;
import org.debvisor.controller.iso.IsoBuildResult;
import org.debvisor.controller.iso.IsoBuilder;
import org.debvisor.controller.mirror.ConsoleProgress;
import org.debvisor.controller.mirror.DebianArchive;
import org.debvisor.controller.mirror.IsoBuildException;
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

  @Option(
      names = "--node",
      required = true,
      paramLabel = "FILE",
      description = {
        "The node.yaml. Repeat it to build one ISO per node in one run (same architecture, options"
            + " and mirror; every file is checked before the first ISO is built)."
      })
  List<Path> nodes;

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

  /** One node's input, checked and rendered before anything is built. */
  private record NodeMedia(Path node, NodeInstall install, String preseed, ImageInstall image) {}

  @Override
  public Integer call() throws Exception {
    // The ISO is hashed at the end: compiled by then, its 56 MB take milliseconds, not most of
    // a second (see Sha256WarmUp).
    Sha256WarmUp.start();
    PrintWriter err = spec.commandLine().getErr();
    Architecture architecture;
    List<NodeMedia> media = new ArrayList<>();
    try {
      architecture = arch.parse();
      String refusal = refusedOptions();
      if (refusal != null) {
        err.println("error: " + refusal);
        return DebvisorCli.EXIT_INVALID;
      }
      PreseedData data = inputs.preseedData();
      InstallImage installImage = mode.equals("image") ? InstallImage.open(image) : null;
      String ca =
          installImage != null && controllerCa != null
              ? Files.readString(controllerCa, StandardCharsets.US_ASCII)
              : null;
      // Every node is checked before the first ISO is built: a typo in the fifth file must not
      // leave four new ISOs beside four old ones.
      for (Path node : nodes) {
        NodeMedia prepared = prepare(node, data, architecture, installImage, ca);
        if (prepared == null) {
          return DebvisorCli.EXIT_INVALID;
        }
        media.add(prepared);
      }
      String clash = sameIsoName(media, architecture);
      if (clash != null) {
        err.println("error: " + clash);
        return DebvisorCli.EXIT_INVALID;
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
    return build(architecture, media, err);
  }

  /** What is wrong with the options themselves (not with a node.yaml), or null. */
  private String refusedOptions() {
    if (agentDeb != null && !Files.isRegularFile(agentDeb)) {
      return "--agent-deb: no such file " + agentDeb;
    }
    if (controllerCa != null && !Files.isRegularFile(controllerCa)) {
      return "--controller-ca: no such file " + controllerCa;
    }
    return switch (mode) {
      case "preseed" -> image != null ? "--image needs --mode image" : null;
      case "image" ->
          image == null
              ? "--mode image needs --image DIR (the output of debvisor image build)"
              : null;
      default -> "--mode: " + mode + " is not preseed or image";
    };
  }

  /**
   * Reads one node.yaml and renders what its media carry; prints why and returns null when its
   * content does not fit the options.
   */
  private NodeMedia prepare(
      Path node, PreseedData data, Architecture architecture, InstallImage installImage, String ca)
      throws IOException, InvalidInputException, InstallImageException {
    NodeInstall install = inputs.nodeLoader().load(node);
    if (profile != null) {
      install = install.withProfile(profile);
    }
    if (installImage != null) {
      Profile profileData = data.profiles().get(install.profile());
      ImageInstall prepared =
          ImageInstall.prepare(
              node.toString(),
              install,
              profileData,
              architecture,
              installImage,
              ca,
              effectiveEpoch());
      return new NodeMedia(node, install, "", prepared);
    }
    String preseed =
        new PreseedGenerator(data, LateCommandBuilder.DEFAULT_AGENT_PACKAGE)
            .generate(node.toString(), install, architecture);
    if (install.agent() != null && controllerCa == null) {
      spec.commandLine()
          .getErr()
          .println(
              "error: "
                  + node
                  + " has an agent section: give --controller-ca FILE (the installer copies it"
                  + " to the node for enrolment)");
      return null;
    }
    return new NodeMedia(node, install, preseed, null);
  }

  /** Two node files that would write the same ISO (same host name), named; or null. */
  private static String sameIsoName(List<NodeMedia> media, Architecture architecture) {
    Map<String, Path> byName = new HashMap<>();
    for (NodeMedia one : media) {
      String name = IsoBuildRequest.isoName(one.install().hostname(), architecture);
      Path earlier = byName.putIfAbsent(name, one.node());
      if (earlier != null) {
        return earlier
            + " and "
            + one.node()
            + " both have host name "
            + one.install().hostname()
            + ", so both would be written to "
            + name
            + ": give each node its own host name, or build them in separate runs";
      }
    }
    return null;
  }

  /** Builds each node's ISO in turn, after one mirror preflight for all of them. */
  private int build(Architecture architecture, List<NodeMedia> media, PrintWriter err) {
    Progress progress = quiet ? Progress.NONE : new ConsoleProgress(err);
    long epoch = effectiveEpoch();
    long started = System.nanoTime();
    int built = 0;
    boolean recorded = false;
    try {
      DebianArchive opened = archive.open(progress);
      List<IsoBuildRequest> requests = new ArrayList<>();
      for (NodeMedia one : media) {
        requests.add(
            new IsoBuildRequest(
                architecture,
                one.install().profile(),
                one.install().hostname(),
                one.preseed(),
                opened.installerVersion(),
                agentDeb,
                out,
                epoch,
                one.image(),
                one.image() == null ? controllerCa : null));
      }
      // Image media install without a mirror: the installer's components are not needed. The
      // preflight depends only on the architecture and the installer, so once is enough.
      if (media.get(0).image() == null
          && !skipPreflight
          && !preflight(opened, progress, requests.get(0), err)) {
        return DebvisorCli.EXIT_FAILURE;
      }
      IsoBuilder builder = IsoBuilder.standard(opened.installers(), epoch, progress, Runnable::run);
      PrintWriter stdout = spec.commandLine().getOut();
      for (IsoBuildRequest request : requests) {
        BuildMetrics metrics = new BuildMetrics();
        try {
          IsoBuildResult result = builder.build(request, metrics);
          built++;
          stdout.println(result.sha256() + "  " + result.iso());
          stdout.flush();
        } catch (IsoBuildException e) {
          err.println(
              "error: "
                  + (media.size() > 1 ? media.get(built).node() + ": " : "")
                  + e.getMessage());
          if (media.size() > 1) {
            err.println(notBuilt(media, built));
          }
          return DebvisorCli.EXIT_FAILURE;
        } finally {
          recordTextfile(metrics, architecture, started, err);
          recorded = true;
        }
      }
      return 0;
    } catch (IsoBuildException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    } finally {
      if (!recorded) {
        recordTextfile(new BuildMetrics(), architecture, started, err);
      }
    }
  }

  private static String notBuilt(List<NodeMedia> media, int built) {
    StringBuilder text =
        new StringBuilder("error: built " + built + " of " + media.size() + " ISOs; not built:");
    for (NodeMedia one : media.subList(built, media.size())) {
      text.append(' ').append(one.node());
    }
    return text.append(" (the ISOs listed above are complete)").toString();
  }

  /** {@code --metrics-textfile}: the build's own outcome, else a failure before it began. */
  private void recordTextfile(
      BuildMetrics metrics, Architecture architecture, long started, PrintWriter err) {
    if (metricsTextfile == null) {
      return;
    }
    BuildOutcome outcome =
        metrics
            .outcome()
            .orElse(
                new BuildOutcome(
                    "iso",
                    architecture.debianName(),
                    BuildMetrics.OS,
                    (System.nanoTime() - started) / 1e9,
                    false,
                    OptionalInt.empty()));
    BuildTextfiles.record(metricsTextfile, outcome, err);
  }

  /**
   * Runs the mirror preflight ("before every build"): missing components are a warning, or a
   * failure with {@code --require-complete-mirror}. Returns whether the build may go on.
   */
  private boolean preflight(
      DebianArchive opened, Progress progress, IsoBuildRequest request, PrintWriter err) {
    // The installer index only selects which files to ask for, so an unverified copy will do.
    MirrorPreflight preflight = opened.preflight(progress, true);
    String prefix = requireCompleteMirror ? "error: preflight: " : "warning: preflight: ";
    try {
      PreflightReport report = preflight.check(request.arch(), request.installerVersion());
      if (report.ok()) {
        return true;
      }
      PreflightOutput.print(report, opened.client().base(), prefix, err);
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

  private long effectiveEpoch() {
    if (sourceDateEpoch != null) {
      return sourceDateEpoch;
    }
    String env = System.getenv("SOURCE_DATE_EPOCH");
    return env != null && env.matches("\\d+") ? Long.parseLong(env) : IsoBuildRequest.DEFAULT_EPOCH;
  }
}
