package org.debvisor.controller.isolibrary;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.debvisor.controller.iso.IsoBuildRequest;
import org.debvisor.controller.mirror.ArtifactCache;
import org.debvisor.controller.mirror.DebianArchive;
import org.debvisor.controller.preseed.PreseedDataLoader;

/**
 * ISO libraries for the API and panel tests: real builds from the Debian mirror's installer,
 * through the download cache the other ISO tests share (~/.cache/debvisor).
 */
public final class TestIsoLibraries {

  private TestIsoLibraries() {}

  /**
   * @param directory the library
   * @param controllerCa the test controller's CA certificate (its state dir's pki/ca.pem)
   */
  public static IsoLibrary.Settings fromDebian(Path directory, Path controllerCa, boolean preflight)
      throws Exception {
    return new IsoLibrary.Settings(
        new DebianArchive.Source(
            URI.create("http://deb.debian.org/debian"),
            "trixie",
            null,
            ArtifactCache.defaultRoot(),
            Path.of("/usr/share/keyrings/debian-archive-keyring.gpg"),
            Duration.ofHours(1)),
        new PreseedDataLoader().locate(null, null),
        directory,
        controllerCa,
        IsoBuildRequest.DEFAULT_EPOCH,
        preflight);
  }
}
