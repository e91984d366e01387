package org.debvisor.controller.mirror;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A Debian archive opened for ISO builds: its client, the verified indexes (reused within {@code
 * indexMaxAge} or the signed Valid-Until), the installer fetcher and the installer build to use.
 * The CLI opens one per run; the controller keeps one open, so its builds start warm.
 */
public record DebianArchive(
    MirrorClient client,
    ArchiveIndexes indexes,
    InstallerFetcher installers,
    String installerVersion) {

  /**
   * Where and how to fetch.
   *
   * @param mirror the archive's base URL
   * @param suite e.g. {@code trixie}
   * @param installerVersion the installer build, or null for the pinned default
   * @param cache the download cache directory
   * @param keyring OpenPGP keyring that signs InRelease
   * @param indexMaxAge how long a verified InRelease is reused without asking the mirror
   */
  public record Source(
      URI mirror,
      String suite,
      String installerVersion,
      Path cache,
      Path keyring,
      Duration indexMaxAge) {}

  /**
   * The mirror preflight against this archive.
   *
   * @param allowUnverifiedIndex read the installer's component index even when it does not match
   *     the signed Release (it only selects which files to ask for)
   */
  public MirrorPreflight preflight(Progress progress, boolean allowUnverifiedIndex) {
    return new MirrorPreflight(indexes, installers, client, progress, allowUnverifiedIndex);
  }

  public static DebianArchive open(Source source, Progress progress) throws IsoBuildException {
    InstallerPins pins = InstallerPins.builtIn();
    MirrorClient client = MirrorClient.create(source.mirror());
    VerifiedFetcher fetcher =
        new VerifiedFetcher(client, new ArtifactCache(source.cache()), progress);
    ArchiveIndexes indexes =
        new ArchiveIndexes(
            fetcher,
            ClearsignedVerifier.fromKeyring(source.keyring()),
            source.suite(),
            new IndexFreshness(Clock.systemUTC(), source.indexMaxAge()),
            progress);
    return new DebianArchive(
        client,
        indexes,
        new InstallerFetcher(indexes, fetcher, pins, progress),
        source.installerVersion() != null ? source.installerVersion() : pins.defaultVersion());
  }
}
