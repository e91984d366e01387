package org.debvisor.controller.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.debvisor.controller.buildmetrics.BuildOutcome;
import org.debvisor.controller.image.HostPrerequisites;
import org.debvisor.controller.image.ImageBuildException;
import org.debvisor.controller.image.ImageBuildRequest;
import org.debvisor.controller.image.ImageBuildResult;
import org.debvisor.controller.image.ImageBuilder;
import org.debvisor.controller.image.ImageOutput;
import org.debvisor.controller.image.InstallerInitramfsConfig;
import org.debvisor.controller.iso.BuildMetrics;
import org.debvisor.controller.iso.IsoBuildRequest;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.node.Profile;
import org.debvisor.controller.preseed.PreseedData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code debvisor image build}: profile + architecture → reproducible installable image. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = {
      "Build the DebVisor image of a role profile with mmdebstrap: rootfs.tar.zst, vmlinuz, the "
          + "installer initramfs installer.img, manifest.tsv, image.json and SHA256SUMS in --out "
          + "(replaced atomically). Runs as root; arm64 on amd64 needs qemu-user-static + binfmt_misc."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:image written",
      "1:failure (host tools, mmdebstrap, mkinitramfs, zstd; the cause is printed)",
      "2:invalid arguments (architecture, profile, agent package, --out)"
    })
final class ImageBuildCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ArchOption arch;

  @Option(
      names = "--profile",
      required = true,
      paramLabel = "NAME",
      description = "Role profile whose packages go into the image (preseed/profiles/NAME.yaml).")
  String profile;

  @Option(
      names = "--mirror",
      paramLabel = "URL",
      defaultValue = "http://deb.debian.org/debian",
      description = "Debian archive to install from (default: ${DEFAULT-VALUE}).")
  URI mirror;

  @Option(
      names = "--suite",
      paramLabel = "NAME",
      defaultValue = "trixie",
      description = "Suite (default: ${DEFAULT-VALUE}).")
  String suite;

  @Option(
      names = "--keyring",
      paramLabel = "FILE",
      defaultValue = "/usr/share/keyrings/debian-archive-keyring.gpg",
      description = "OpenPGP keyring for the archive's InRelease (default: ${DEFAULT-VALUE}).")
  Path keyring;

  @Option(
      names = "--agent-deb",
      paramLabel = "FILE",
      description =
          "Agent package installed into the image (default: agent/target/debvisor-agent_*_all.deb"
              + " of this source tree).")
  Path agentDeb;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output directory (default: ./debvisor-image-PROFILE-ARCH).")
  Path out;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = ".deb cache (default: /var/cache/debvisor/image-debs/SUITE-ARCH).")
  Path cache;

  @Option(
      names = "--source-date-epoch",
      paramLabel = "SECONDS",
      description = "Timestamp of every file (default: $SOURCE_DATE_EPOCH, else 2026-01-01).")
  Long sourceDateEpoch;

  @Option(
      names = "--preseed-dir",
      paramLabel = "DIR",
      description =
          "The preseed/ data folder with the profiles (default: beside the jar, else"
              + " the built-in copy).")
  Path preseedDir;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  @Option(
      names = "--metrics-textfile",
      paramLabel = "FILE",
      description =
          "Also record the build in this node_exporter textfile-collector file (*.prom),"
              + " replaced atomically; counters carry over from the previous file.")
  Path metricsTextfile;

  private final PreseedDataLocator locator;
  private final AgentDebLocator agentDebs;
  private final HostPrerequisites host;

  public ImageBuildCommand(
      PreseedDataLocator locator, AgentDebLocator agentDebs, HostPrerequisites host) {
    this.locator = locator;
    this.agentDebs = agentDebs;
    this.host = host;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ImageBuildRequest request;
    try {
      Architecture architecture = arch.parse();
      Optional<Profile> chosen = profile(err);
      Optional<Path> deb = agentDeb(err);
      if (chosen.isEmpty() || deb.isEmpty()) {
        return DebvisorCli.EXIT_INVALID;
      }
      if (sourceDateEpoch != null && sourceDateEpoch < 0) {
        err.println("error: --source-date-epoch must be seconds since 1970 (0 or more)");
        return DebvisorCli.EXIT_INVALID;
      }
      if (!suite.matches("[a-z][a-z0-9.-]*")) {
        err.println("error: --suite '" + suite + "' is not a Debian suite name (like trixie)");
        return DebvisorCli.EXIT_INVALID;
      }
      request =
          new ImageBuildRequest(
              architecture,
              chosen.get(),
              suite,
              mirror,
              keyring,
              deb.get(),
              out != null
                  ? out
                  : Path.of(ImageBuildRequest.defaultDirectoryName(profile, architecture)),
              cache != null ? cache : ImageBuildRequest.defaultCache(suite, architecture),
              effectiveEpoch(),
              version());
    } catch (IllegalArgumentException e) {
      err.println("error: --arch: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    ImageBuilder builder =
        new ImageBuilder(
            host,
            new InstallerInitramfsConfig(),
            quiet
                ? line -> {}
                : line -> {
                  err.println(line.startsWith("  ") ? line : "==> " + line);
                  err.flush();
                });
    long started = System.nanoTime();
    boolean built = false;
    try {
      ImageBuildResult result = builder.build(request);
      built = true;
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.println(result.rootfsSha256() + "  " + result.outDir().resolve(ImageOutput.ROOTFS));
      stdout.flush();
      return 0;
    } catch (ImageBuildException e) {
      for (String line : e.getMessage().split("\n")) {
        err.println("error: " + line);
      }
      return DebvisorCli.EXIT_FAILURE;
    } finally {
      if (metricsTextfile != null) {
        BuildTextfiles.record(
            metricsTextfile,
            new BuildOutcome(
                "image",
                request.arch().debianName(),
                osLabel(request.suite()),
                (System.nanoTime() - started) / 1e9,
                built,
                OptionalInt.empty()),
            err);
      }
    }
  }

  /** The os label: {@code debian13} for trixie (as the ISO's metrics say), else the suite. */
  private static String osLabel(String suite) {
    return "trixie".equals(suite) ? BuildMetrics.OS : "debian-" + suite;
  }

  private Optional<Profile> profile(PrintWriter err) {
    PreseedData data;
    try {
      data = locator.load(preseedDir);
    } catch (InvalidInputException e) {
      err.println("error: invalid input in " + e.getMessage());
      return Optional.empty();
    } catch (IOException e) {
      err.println("error: cannot read the preseed data: " + e.getMessage());
      return Optional.empty();
    }
    Profile found = data.profiles().get(profile);
    if (found == null) {
      err.println(
          "error: --profile '"
              + profile
              + "' is not a profile of "
              + data.source()
              + "; known: "
              + String.join(", ", data.profiles().keySet()));
    }
    return Optional.ofNullable(found);
  }

  private Optional<Path> agentDeb(PrintWriter err) {
    if (agentDeb != null) {
      if (!Files.isRegularFile(agentDeb) || !agentDeb.toString().endsWith(".deb")) {
        err.println(
            "error: --agent-deb "
                + agentDeb
                + " is not a .deb file (build it: ./mvnw -pl agent -am package)");
        return Optional.empty();
      }
      return Optional.of(agentDeb);
    }
    try {
      Optional<Path> found = agentDebs.find();
      if (found.isEmpty()) {
        err.println(
            "error: --agent-deb not given and no agent package found in "
                + agentDebs.searched()
                + "; build it (./mvnw -pl agent -am package) or pass --agent-deb FILE");
      }
      return found;
    } catch (IOException e) {
      err.println("error: --agent-deb: " + e.getMessage());
      return Optional.empty();
    }
  }

  private long effectiveEpoch() {
    if (sourceDateEpoch != null) {
      return sourceDateEpoch;
    }
    String env = System.getenv("SOURCE_DATE_EPOCH");
    return env != null && env.matches("\\d+") ? Long.parseLong(env) : IsoBuildRequest.DEFAULT_EPOCH;
  }

  private static String version() {
    String version = ImageBuildCommand.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
