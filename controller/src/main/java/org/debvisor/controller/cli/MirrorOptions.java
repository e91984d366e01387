package org.debvisor.controller.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.debvisor.controller.mirror.ArchiveIndexes;
import org.debvisor.controller.mirror.ArtifactCache;
import org.debvisor.controller.mirror.ClearsignedVerifier;
import org.debvisor.controller.mirror.IndexFreshness;
import org.debvisor.controller.mirror.InstallerFetcher;
import org.debvisor.controller.mirror.InstallerPins;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.MirrorClient;
import org.debvisor.controller.mirror.Progress;
import org.debvisor.controller.mirror.VerifiedFetcher;
import picocli.CommandLine.Option;

/** The Debian archive options shared by {@code iso build} and {@code iso preflight}. */
final class MirrorOptions {

  @Option(
      names = "--mirror",
      paramLabel = "URL",
      defaultValue = "http://deb.debian.org/debian",
      description = "Debian archive to fetch the installer from (default: ${DEFAULT-VALUE}).")
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
      description = "Installer build (default: the pinned one, see iso/installer-pins.properties).")
  String installerVersion;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = "Download cache (default: ~/.cache/debvisor).")
  Path cache;

  @Option(
      names = "--keyring",
      paramLabel = "FILE",
      defaultValue = "/usr/share/keyrings/debian-archive-keyring.gpg",
      description = "OpenPGP keyring for InRelease (default: ${DEFAULT-VALUE}).")
  Path keyring;

  @Option(
      names = "--index-max-age",
      paramLabel = "SECONDS",
      defaultValue = "3600",
      description =
          "Reuse a verified InRelease (and the preflight checked against it) for up to this long"
              + " without asking the mirror, or until its signed Valid-Until if sooner; 0 asks"
              + " every time (default: ${DEFAULT-VALUE}).")
  void indexMaxAge(long seconds) {
    if (seconds < 0) {
      // picocli reports this as an invalid argument (exit 2) with the message.
      throw new IllegalArgumentException("must be 0 or more seconds, not " + seconds);
    }
    indexMaxAge = seconds;
  }

  private long indexMaxAge = 3600;

  /** The archive as these options name it, with verified, cached downloads. */
  record Archive(
      MirrorClient client,
      ArchiveIndexes indexes,
      InstallerFetcher installers,
      String installerVersion) {}

  Archive open(Progress progress) throws IsoBuildException {
    InstallerPins pins = InstallerPins.builtIn();
    MirrorClient client = MirrorClient.create(mirror);
    VerifiedFetcher fetcher =
        new VerifiedFetcher(
            client,
            new ArtifactCache(cache != null ? cache : ArtifactCache.defaultRoot()),
            progress);
    ArchiveIndexes indexes =
        new ArchiveIndexes(
            fetcher,
            ClearsignedVerifier.fromKeyring(keyring),
            suite,
            new IndexFreshness(Clock.systemUTC(), Duration.ofSeconds(indexMaxAge)),
            progress);
    return new Archive(
        client,
        indexes,
        new InstallerFetcher(indexes, fetcher, pins, progress),
        installerVersion != null ? installerVersion : pins.defaultVersion());
  }
}
