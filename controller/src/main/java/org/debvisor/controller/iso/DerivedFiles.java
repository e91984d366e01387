package org.debvisor.controller.iso;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.mirror.ArtifactCache;
import org.debvisor.controller.mirror.FileStamp;
import org.debvisor.controller.mirror.IsoBuildException;
import org.debvisor.controller.mirror.Progress;

/**
 * Files the builder derives from cached inputs (the initrd with the preseed appended, the EFI boot
 * image), kept so that a warm build grafts them into the ISO instead of making them again.
 *
 * <p>Each file is named by a key over everything it is made from and has a record of its SHA-256
 * and of the size, inode, mtime and ctime it had when made or last verified. An unchanged stat
 * costs nothing; a changed one costs a SHA-256; a mismatch (the file was altered) is reported, and
 * the file is deleted and made again. Any write or {@code touch} changes the ctime, which a user
 * cannot set back. Entries of a slot unused for an hour are deleted when another is made, so the
 * cache keeps about one initrd per architecture rather than one per node.
 */
public final class DerivedFiles {

  /** Makes the file at {@code target} (which does not exist yet). */
  @FunctionalInterface
  public interface Maker {
    void make(Path target) throws IOException, IsoBuildException;
  }

  private static final String RECORD = ".verified";
  private static final Duration UNUSED = Duration.ofHours(1);

  private final ArtifactCache cache;
  private final Path root;
  private final Progress progress;

  /**
   * @param cache the download cache; the derived files go to its {@code derived} directory
   */
  public DerivedFiles(ArtifactCache cache, Progress progress) {
    this.cache = cache;
    this.root = cache.root().resolve("derived");
    this.progress = progress;
  }

  /** The key of a file made from {@code parts}: their SHA-256, each part ended by a NUL. */
  public static String key(List<String> parts) {
    return Sha256.hex(String.join("\0", parts) + "\0");
  }

  /**
   * The verified file {@code key} of {@code slot}, made by {@code maker} when missing or altered.
   */
  public Path get(String slot, String key, Maker maker) throws IOException, IsoBuildException {
    Path dir = root.resolve(slot);
    Path file = dir.resolve(key);
    Path record = dir.resolve(key + RECORD);
    Optional<String[]> known = readRecord(record);
    if (known.isPresent() && Files.isRegularFile(file)) {
      String[] fields = known.get();
      if (FileStamp.of(file).equals(fields[1])) {
        touch(record);
        return file;
      }
      String actual = Sha256.hex(file);
      if (actual.equals(fields[0])) {
        writeRecord(record, actual, file);
        return file;
      }
      progress.step(
          "warning: "
              + file
              + " was altered after it was made (sha256 "
              + actual
              + ", made as "
              + fields[0]
              + "): deleted and made again; if this repeats, find what writes to "
              + root);
    }
    Files.deleteIfExists(record);
    Files.deleteIfExists(file);
    Files.createDirectories(dir);
    // A unique name: two builds sharing the cache may make the same file at once.
    Path partial = Files.createTempFile(dir, ".making-", "");
    try {
      Files.delete(partial);
      maker.make(partial);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
    writeRecord(record, Sha256.hex(file), file);
    pruneUnused(dir, key);
    return file;
  }

  private static Optional<String[]> readRecord(Path record) throws IOException {
    if (!Files.isRegularFile(record)) {
      return Optional.empty();
    }
    String[] fields = Files.readString(record, StandardCharsets.UTF_8).strip().split("\n", 2);
    return fields.length == 2 && Sha256.isHex(fields[0]) ? Optional.of(fields) : Optional.empty();
  }

  /** Replaced whole: a reader never sees half a record. */
  private void writeRecord(Path record, String sha256, Path file) throws IOException {
    cache.replaceSmallFile(
        record, (sha256 + "\n" + FileStamp.of(file) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The record's mtime is when the file was last used; only the file's own stat is checked. */
  private static void touch(Path record) throws IOException {
    Files.setLastModifiedTime(record, FileTime.from(Instant.now()));
  }

  private static void pruneUnused(Path dir, String keep) throws IOException {
    Instant before = Instant.now().minus(UNUSED);
    List<Path> records;
    try (Stream<Path> files = Files.list(dir)) {
      records = files.filter(p -> p.getFileName().toString().endsWith(RECORD)).toList();
    }
    for (Path record : records) {
      String name = record.getFileName().toString();
      String key = name.substring(0, name.length() - RECORD.length());
      try {
        if (!key.equals(keep) && Files.getLastModifiedTime(record).toInstant().isBefore(before)) {
          Files.deleteIfExists(dir.resolve(key));
          Files.deleteIfExists(record);
        }
      } catch (IOException e) {
        // Best effort: another build may have pruned or used it meanwhile.
      }
    }
  }
}
