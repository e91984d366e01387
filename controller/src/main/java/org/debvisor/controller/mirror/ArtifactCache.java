package org.debvisor.controller.mirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.debvisor.common.digest.Sha256;

/** Downloaded files kept under a directory, named by their SHA-256 and checked again on use. */
public final class ArtifactCache {

  private final Path root;

  public ArtifactCache(Path root) {
    this.root = root;
  }

  /** {@code ~/.cache/debvisor}, or {@code $XDG_CACHE_HOME/debvisor}. */
  public static Path defaultRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("debvisor");
  }

  public Path root() {
    return root;
  }

  /** The cached file with this SHA-256, if present and intact (a corrupt one is removed). */
  public Optional<Path> find(String sha256) throws IOException {
    Path file = blob(sha256);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    if (!Sha256.hex(file).equals(sha256)) {
      Files.delete(file);
      return Optional.empty();
    }
    return Optional.of(file);
  }

  /**
   * The cached file with this SHA-256 if present, not checked: only for a file whose content is
   * vouched for otherwise (an unchanged {@link FileStamp} recorded when it was checked).
   */
  Optional<Path> locate(String sha256) {
    Path file = blob(sha256);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** A new temporary file inside the cache (same file system, so storing it is a rename). */
  public Path newTempFile() throws IOException {
    Path tmp = root.resolve("tmp");
    Files.createDirectories(tmp);
    return Files.createTempFile(tmp, "download", ".part");
  }

  /**
   * Replaces {@code target}, a small file kept beside the cached blobs (index pointers, records,
   * memos), with {@code data}: written to a temporary file in the cache and renamed over it, so a
   * reader sees the old content or the new, never half of it.
   */
  public void replaceSmallFile(Path target, byte[] data) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = newTempFile();
    try {
      Files.write(temp, data);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Moves {@code file} into the cache if its SHA-256 is {@code expected}.
   *
   * @param what names the file in the error
   * @throws IsoBuildException on a checksum mismatch (the file is deleted)
   */
  public Path store(Path file, String expected, String what) throws IOException, IsoBuildException {
    String actual = Sha256.hex(file);
    if (!actual.equals(expected)) {
      Files.deleteIfExists(file);
      throw new IsoBuildException(
          "checksum mismatch for " + what + ": expected sha256 " + expected + ", got " + actual);
    }
    Path target = blob(expected);
    Files.createDirectories(target.getParent());
    Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /** A directory for data derived from the blob {@code sha256} (like an unpacked package). */
  public Path derivedDir(String kind, String sha256) {
    return root.resolve(kind).resolve(sha256);
  }

  private Path blob(String sha256) {
    if (!Sha256.isHex(sha256)) {
      throw new IllegalArgumentException("not a sha256: " + sha256);
    }
    return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
  }
}
