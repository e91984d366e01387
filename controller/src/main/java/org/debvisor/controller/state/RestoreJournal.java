package org.debvisor.controller.state;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <stateDir>/restore-journal}: a restore into a PostgreSQL database that has begun and not
 * finished. It is written (and fsynced) before pg_restore starts and removed only after the
 * restore's last step, so a restore killed in between leaves it behind: a re-run of the same backup
 * reads it to finish the restore, and a controller refuses to start beside it.
 *
 * @param backup the backup directory, absolute
 * @param manifestSha256 SHA-256 of the backup's manifest.json: which backup, not just which path
 * @param target the database, as its URL without the password
 * @param targetBefore what the database held before the load (see the restore), to tell afterwards
 *     whether pg_restore committed
 * @param phase {@link #LOADING} until pg_restore returned, then {@link #LOADED}
 */
public record RestoreJournal(
    String backup, String manifestSha256, String target, String targetBefore, String phase) {

  public static final String FILE_NAME = "restore-journal";
  public static final String LOADING = "loading";
  public static final String LOADED = "loaded";

  private static final String TEMPORARY = "." + FILE_NAME + ".tmp";

  public RestoreJournal {
    if (!phase.equals(LOADING) && !phase.equals(LOADED)) {
      throw new IllegalArgumentException("unknown restore phase " + phase);
    }
  }

  /** This journal after pg_restore committed. */
  public RestoreJournal loaded() {
    return new RestoreJournal(backup, manifestSha256, target, targetBefore, LOADED);
  }

  /** Whether this journal is of the restore of that backup into that database. */
  public boolean isOf(String otherManifestSha256, String otherTarget) {
    return manifestSha256.equals(otherManifestSha256) && target.equals(otherTarget);
  }

  /** The journal in {@code stateDir}, if a restore left one. */
  public static Optional<RestoreJournal> read(Path stateDir) throws IOException {
    String text;
    try {
      text = Files.readString(stateDir.resolve(FILE_NAME), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Properties p = new Properties();
    p.load(new StringReader(text));
    try {
      return Optional.of(
          new RestoreJournal(
              required(p, "backup"),
              required(p, "manifest-sha256"),
              required(p, "target"),
              required(p, "target-before"),
              required(p, "phase")));
    } catch (IllegalArgumentException e) {
      throw new IOException(
          stateDir.resolve(FILE_NAME) + " is damaged (" + e.getMessage() + ")", e);
    }
  }

  /** Writes this journal into {@code stateDir} durably: a reader sees the old one or this one. */
  public void write(Path stateDir) throws IOException {
    Properties p = new Properties();
    p.setProperty("backup", backup);
    p.setProperty("manifest-sha256", manifestSha256);
    p.setProperty("target", target);
    p.setProperty("target-before", targetBefore);
    p.setProperty("phase", phase);
    java.io.StringWriter text = new java.io.StringWriter();
    p.store(text, "an unfinished restore; re-run it to finish (docs/backup.md)");
    Path temporary = stateDir.resolve(TEMPORARY);
    Files.deleteIfExists(temporary);
    try (FileChannel out =
        FileChannel.open(
            Files.createFile(
                temporary,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
            StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    Files.move(
        temporary,
        stateDir.resolve(FILE_NAME),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(stateDir);
  }

  /** Removes the journal from {@code stateDir} durably: the restore is finished. */
  public static void remove(Path stateDir) throws IOException {
    if (Files.deleteIfExists(stateDir.resolve(FILE_NAME))) {
      syncDirectory(stateDir);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }
}
