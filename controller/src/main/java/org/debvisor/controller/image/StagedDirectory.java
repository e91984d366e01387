package org.debvisor.controller.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory built beside its target ({@code TARGET.tmp-*}) and renamed over it at the end; if the
 * build fails the staging directory is deleted and the old target stays as it was.
 */
final class StagedDirectory implements AutoCloseable {

  private final Path target;
  private final Path staging;
  private boolean committed;

  private StagedDirectory(Path target, Path staging) {
    this.target = target;
    this.staging = staging;
  }

  /** Creates {@code TARGET.tmp-*} in the target's parent directory (created if needed). */
  static StagedDirectory create(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, absolute.getFileName() + ".tmp-");
    // createTempDirectory makes it 0700; the image directory is for everyone to read.
    Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new StagedDirectory(absolute, staging);
  }

  Path path() {
    return staging;
  }

  /**
   * Replaces the target with the staged directory: the old target is renamed aside first, then the
   * staging directory takes its name, then the old one is deleted.
   */
  void commit() throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = target.resolveSibling(target.getFileName() + ".old-" + staging.getFileName());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (old != null) {
        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    }
    committed = true;
    if (old != null) {
      deleteTree(old);
    }
  }

  @Override
  public void close() {
    if (!committed) {
      deleteTree(staging);
    }
  }

  /** Deletes a directory tree, not following symbolic links. */
  static void deleteTree(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** Throws if {@code dir} exists and is neither empty nor an image directory. */
  static void checkReplaceable(Path dir) throws ImageBuildException {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new ImageBuildException(
          "--out " + dir + " exists and is not a directory; choose another path");
    }
    if (Files.isRegularFile(dir.resolve(ImageOutput.DESCRIPTOR))) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new ImageBuildException(
            "--out "
                + dir
                + " exists and is not an image directory (no "
                + ImageOutput.DESCRIPTOR
                + "); the build replaces its target, so choose a new or empty directory");
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot read --out " + dir + ": " + e.getMessage(), e);
    }
  }
}
