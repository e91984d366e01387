package org.debvisor.controller.mirror;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.debvisor.controller.node.Architecture;

/**
 * Gets the Debian 13 netboot installer package of an architecture, verified, and unpacks it.
 *
 * <p>Verification: when the suite's signed {@code Packages} lists the requested version, its
 * SHA-256 (InRelease signature → Packages checksum) is used, and a pin must agree with it.
 * Otherwise the package is taken from the pool by its name and checked against the pin in {@link
 * InstallerPins}; without a pin the build is refused.
 */
public final class InstallerFetcher {

  private static final String COMPLETE = ".complete";
  private static final String POOL = "pool/main/d/debian-installer-netboot-images/";

  private final ArchiveIndexes indexes;
  private final VerifiedFetcher fetcher;
  private final InstallerPins pins;
  private final Progress progress;
  private final Map<String, NetbootInstaller> fetched = new ConcurrentHashMap<>();

  public InstallerFetcher(
      ArchiveIndexes indexes, VerifiedFetcher fetcher, InstallerPins pins, Progress progress) {
    this.indexes = indexes;
    this.fetcher = fetcher;
    this.pins = pins;
    this.progress = progress;
  }

  /** The download cache the installer is kept in. */
  public ArtifactCache cache() {
    return fetcher.cache();
  }

  /**
   * Fetches, verifies and unpacks (both cached) the installer {@code version} for {@code arch};
   * asked again (the preflight, then the build), returns the same installer.
   */
  public NetbootInstaller fetch(Architecture arch, String version) throws IsoBuildException {
    String key = arch.debianName() + " " + version;
    NetbootInstaller known = fetched.get(key);
    if (known == null) {
      known = fetchOnce(arch, version);
      fetched.put(key, known);
    }
    return known;
  }

  private NetbootInstaller fetchOnce(Architecture arch, String version) throws IsoBuildException {
    String pkg = "debian-installer-13-netboot-" + arch.debianName();
    progress.step("Reading the signed index of " + indexes.suite() + " for " + pkg);
    Optional<PackageStanza> listed = indexes.find("main/binary-" + arch.debianName(), pkg, version);
    Optional<String> pinned = pins.sha256(arch, version);
    String sha256;
    String path;
    String verifiedBy;
    if (listed.isPresent()) {
      sha256 = listed.get().sha256();
      path = listed.get().filename();
      verifiedBy = "dists/" + indexes.suite() + "/InRelease signature -> Packages -> SHA256";
      if (pinned.isPresent() && !pinned.get().equals(sha256)) {
        throw new IsoBuildException(
            pkg
                + " "
                + version
                + ": the signed index lists sha256 "
                + sha256
                + " but iso/installer-pins.properties pins "
                + pinned.get());
      }
    } else if (pinned.isPresent()) {
      sha256 = pinned.get();
      path = POOL + pkg + "_" + version + "_all.deb";
      verifiedBy = "SHA256 pinned in iso/installer-pins.properties (not in the signed index)";
    } else {
      throw new IsoBuildException(
          pkg
              + " "
              + version
              + " is neither listed in dists/"
              + indexes.suite()
              + "/main/binary-"
              + arch.debianName()
              + "/Packages nor pinned in iso/installer-pins.properties; cannot verify it");
    }
    progress.step("Fetching " + pkg + " " + version + " (" + verifiedBy + ")");
    return unpack(arch, version, sha256, verifiedBy, path);
  }

  /**
   * The unpacked files; the package is fetched (or read from the cache, checksum checked) only when
   * they are not already unpacked from a package of this checksum.
   */
  private NetbootInstaller unpack(
      Architecture arch, String version, String sha256, String verifiedBy, String path)
      throws IsoBuildException {
    String a = arch.debianName();
    String suffix = NetbootInstaller.efiSuffix(arch);
    String dir = "usr/lib/debian-installer/images/13/" + a + "/text/debian-installer/" + a + "/";
    Map<String, String> wanted =
        Map.of(
            "linux", dir + "linux",
            "initrd", dir + "initrd.gz",
            "shim", dir + "bootnet" + suffix + ".efi",
            "grub", dir + "grub" + suffix + ".efi");
    Path target = fetcher.cache().derivedDir("unpacked", sha256);
    if (!Files.exists(target.resolve(COMPLETE))) {
      Path deb = fetcher.fetch(path, sha256);
      progress.step("Unpacking " + deb.getFileName());
      unpackAtomically(deb, wanted::containsValue, target);
    }
    for (String file : wanted.values()) {
      if (!Files.isRegularFile(target.resolve(file))) {
        throw new IsoBuildException(path + " (sha256 " + sha256 + ") holds no " + file);
      }
    }
    return new NetbootInstaller(
        arch,
        version,
        sha256,
        verifiedBy,
        target.resolve(wanted.get("linux")),
        target.resolve(wanted.get("initrd")),
        target.resolve(wanted.get("shim")),
        target.resolve(wanted.get("grub")));
  }

  /**
   * Extracts into a private directory beside {@code target}, then renames it into place: builds
   * sharing a cache (parallel test runs, two users) never see a half-unpacked directory, and the
   * loser of a race just uses the winner's copy.
   */
  private static void unpackAtomically(Path deb, Predicate<String> wanted, Path target)
      throws IsoBuildException {
    Path partial = null;
    try {
      Files.createDirectories(target.getParent());
      partial = Files.createTempDirectory(target.getParent(), ".unpacking-");
      DebArchive.extract(deb, wanted, partial);
      Files.createFile(partial.resolve(COMPLETE));
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        partial = null;
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
        if (!Files.exists(target.resolve(COMPLETE))) {
          throw new IsoBuildException(
              target + " exists but is incomplete (an interrupted older unpack?): delete it",
              raced);
        }
      }
    } catch (IOException e) {
      throw new IsoBuildException("cannot unpack " + deb + " into " + target + ": " + e, e);
    } finally {
      if (partial != null) {
        deleteQuietly(partial);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Best effort: a stray temporary directory in the cache is harmless.
    }
  }
}
