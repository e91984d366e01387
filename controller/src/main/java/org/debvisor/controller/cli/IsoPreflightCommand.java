package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.debvisor.controller.iso.ArchiveIndexes;
import org.debvisor.controller.iso.ArtifactCache;
import org.debvisor.controller.iso.ClearsignedVerifier;
import org.debvisor.controller.iso.ConsoleProgress;
import org.debvisor.controller.iso.InstallerFetcher;
import org.debvisor.controller.iso.InstallerPins;
import org.debvisor.controller.iso.IsoBuildException;
import org.debvisor.controller.iso.MirrorClient;
import org.debvisor.controller.iso.MirrorPreflight;
import org.debvisor.controller.iso.PreflightReport;
import org.debvisor.controller.iso.Progress;
import org.debvisor.controller.iso.VerifiedFetcher;
import org.debvisor.controller.preseed.Architecture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code debvisor iso preflight}: does the mirror serve every installer component? */
@Command(
    name = "preflight",
    mixinStandardHelpOptions = true,
    description = {
      "Resolve the installer components a netboot install downloads (udebs of priority standard",
      "and up for the installer's kernel, iso/preflight-base-udebs.txt, dependencies; minus the",
      "initrd's) and ask the mirror for each. Lists every component it does not serve."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the mirror serves everything",
      "1:components missing (listed) or the check failed",
      "2:invalid arguments"
    })
public final class IsoPreflightCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--arch", required = true, paramLabel = "ARCH", description = "amd64 or arm64.")
  String arch;

  @Option(
      names = "--mirror",
      paramLabel = "URL",
      defaultValue = "http://deb.debian.org/debian",
      description = "Debian archive (default: ${DEFAULT-VALUE}).")
  URI mirror;

  @Option(
      names = "--suite",
      paramLabel = "NAME",
      defaultValue = "trixie",
      description = "Suite (default: ${DEFAULT-VALUE}).")
  String suite;

  @Option(
      names = "--installer-version",
      paramLabel = "V",
      description = "Installer build (default: the pinned one).")
  String installerVersion;

  @Option(names = "--cache", paramLabel = "DIR", description = "Download cache.")
  Path cache;

  @Option(
      names = "--keyring",
      paramLabel = "FILE",
      defaultValue = "/usr/share/keyrings/debian-archive-keyring.gpg",
      description = "OpenPGP keyring for InRelease (default: ${DEFAULT-VALUE}).")
  Path keyring;

  @Option(
      names = "--allow-unverified-index",
      description = {
        "Use the mirror's debian-installer Packages index even when it does not match the signed",
        "InRelease checksum (seen on partial mirrors); it only selects the files to check."
      })
  boolean allowUnverifiedIndex;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Architecture architecture;
    try {
      architecture = Architecture.parse(arch);
    } catch (IllegalArgumentException e) {
      err.println("error: --arch: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    Progress progress = new ConsoleProgress(err);
    InstallerPins pins = InstallerPins.builtIn();
    try {
      MirrorClient client = MirrorClient.create(mirror);
      VerifiedFetcher fetcher =
          new VerifiedFetcher(
              client,
              new ArtifactCache(cache != null ? cache : ArtifactCache.defaultRoot()),
              progress);
      ArchiveIndexes indexes =
          new ArchiveIndexes(fetcher, ClearsignedVerifier.fromKeyring(keyring), suite);
      MirrorPreflight preflight =
          new MirrorPreflight(
              indexes,
              new InstallerFetcher(indexes, fetcher, pins, progress),
              client,
              progress,
              allowUnverifiedIndex);
      PreflightReport report =
          preflight.check(
              architecture, installerVersion != null ? installerVersion : pins.defaultVersion());
      PreflightOutput.print(report, client.base(), "", out);
      return report.ok() ? 0 : DebvisorCli.EXIT_FAILURE;
    } catch (IsoBuildException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    }
  }
}
