package org.debvisor.controller.mirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Gets an archive file whose SHA-256 is known: from the cache, else downloaded and checked. */
public final class VerifiedFetcher {

  private final MirrorClient mirror;
  private final ArtifactCache cache;
  private final Progress progress;

  public VerifiedFetcher(MirrorClient mirror, ArtifactCache cache, Progress progress) {
    this.mirror = mirror;
    this.cache = cache;
    this.progress = progress;
  }

  public MirrorClient mirror() {
    return mirror;
  }

  public ArtifactCache cache() {
    return cache;
  }

  /**
   * The file at {@code archivePath} with SHA-256 {@code sha256}.
   *
   * @throws IsoBuildException when the download fails or the checksum does not match
   */
  public Path fetch(String archivePath, String sha256) throws IsoBuildException {
    try {
      Optional<Path> cached = cache.find(sha256);
      if (cached.isPresent()) {
        return cached.get();
      }
      Path temp = cache.newTempFile();
      try {
        mirror.download(archivePath, temp, progress);
        return cache.store(temp, sha256, mirror.resolve(archivePath).toString());
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new IsoBuildException("cache " + cache.root() + ": " + e.getMessage(), e);
    }
  }

  /** Downloads a file whose checksum is not known in advance (like InRelease) into memory. */
  public byte[] fetchUnverified(String archivePath) throws IsoBuildException {
    try {
      Path temp = cache.newTempFile();
      try {
        mirror.download(archivePath, temp, Progress.NONE);
        return Files.readAllBytes(temp);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new IsoBuildException("cache " + cache.root() + ": " + e.getMessage(), e);
    }
  }

  /** A file fetched whose checksum was not known, with what identifies its version. */
  public record Fetched(byte[] data, HttpValidators validators) {}

  /**
   * Like {@link #fetchUnverified} but asks the mirror only for a version newer than {@code known}.
   *
   * @return the file, or empty when the mirror answered 304 Not Modified
   */
  public Optional<Fetched> fetchUnverifiedIfChanged(String archivePath, HttpValidators known)
      throws IsoBuildException {
    try {
      Path temp = cache.newTempFile();
      try {
        Optional<HttpValidators> changed = mirror.downloadIfChanged(archivePath, temp, known);
        if (changed.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new Fetched(Files.readAllBytes(temp), changed.get()));
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new IsoBuildException("cache " + cache.root() + ": " + e.getMessage(), e);
    }
  }
}
