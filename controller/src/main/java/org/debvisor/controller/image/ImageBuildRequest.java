package org.debvisor.controller.image;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.Profile;

/**
 * What {@code debvisor image build} builds.
 *
 * @param arch target architecture
 * @param profile the role profile whose packages go into the image
 * @param suite Debian suite, like {@code trixie}
 * @param mirror the Debian archive mmdebstrap installs from
 * @param keyring OpenPGP keyring that verifies the archive's InRelease
 * @param agentDeb the DebVisor agent package installed into the image
 * @param outDir the output directory (replaced atomically)
 * @param debCache persistent {@code .deb} cache for this suite and architecture
 * @param sourceDateEpoch timestamp of every file (SOURCE_DATE_EPOCH)
 * @param debvisorVersion version of the building tool, recorded in image.json
 */
public record ImageBuildRequest(
    Architecture arch,
    Profile profile,
    String suite,
    URI mirror,
    Path keyring,
    Path agentDeb,
    Path outDir,
    Path debCache,
    long sourceDateEpoch,
    String debvisorVersion) {

  /** Default parent of the per-suite/architecture .deb caches. */
  public static final Path DEFAULT_CACHE_ROOT = Path.of("/var/cache/debvisor/image-debs");

  public ImageBuildRequest {
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(mirror, "mirror");
    Objects.requireNonNull(keyring, "keyring");
    Objects.requireNonNull(agentDeb, "agentDeb");
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(debCache, "debCache");
    Objects.requireNonNull(debvisorVersion, "debvisorVersion");
  }

  /** {@code debvisor-image-PROFILE-ARCH}, the default output directory name. */
  public static String defaultDirectoryName(String profile, Architecture arch) {
    return "debvisor-image-" + profile + "-" + arch.debianName();
  }

  /** The default .deb cache of a suite and architecture. */
  public static Path defaultCache(String suite, Architecture arch) {
    return DEFAULT_CACHE_ROOT.resolve(suite + "-" + arch.debianName());
  }
}
