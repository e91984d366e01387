package org.debvisor.controller.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.debvisor.controller.mirror.ArtifactCache;
import org.debvisor.controller.mirror.DebianArchive;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.Progress;
import picocli.CommandLine.Option;

/**
 * The Debian archive options shared by {@code iso build}, {@code iso preflight} and {@code
 * controller serve} (for the ISOs its API builds).
 */
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
      description =
          "Download cache (default: ~/.cache/debvisor; controller serve: STATE-DIR/iso-cache).")
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

  /** Where these options say to fetch from; the cache is {@code defaultCache} unless given. */
  DebianArchive.Source source(Path defaultCache) {
    return new DebianArchive.Source(
        mirror,
        suite,
        installerVersion,
        cache != null ? cache : defaultCache,
        keyring,
        Duration.ofSeconds(indexMaxAge));
  }

  /** The archive as these options name it, with verified, cached downloads. */
  DebianArchive open(Progress progress) throws IsoBuildException {
    return DebianArchive.open(source(ArtifactCache.defaultRoot()), progress);
  }
}
