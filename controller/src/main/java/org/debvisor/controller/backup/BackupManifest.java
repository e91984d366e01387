package org.debvisor.controller.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * {@code manifest.json} of a backup: what made it, from which schema, when, how big the fleet was,
 * and every file with its size, mode and SHA-256. {@code manifest.sha256} beside it guards the
 * manifest itself.
 *
 * @param format this layout's number; a restore refuses formats it does not know
 * @param engine {@link #SQLITE} (controller.db) or {@link #POSTGRESQL} (a pg_dump); manifests
 *     written before PostgreSQL backups existed have none and are SQLite
 * @param createdAt ISO-8601 UTC
 */
public record BackupManifest(
    int format,
    String engine,
    String debvisorVersion,
    String schemaVersion,
    String createdAt,
    long nodes,
    long auditEntries,
    List<FileEntry> files) {

  public static final int FORMAT = 1;
  public static final String FILE_NAME = "manifest.json";
  public static final String CHECKSUM_FILE_NAME = "manifest.sha256";
  public static final String SQLITE = "sqlite";
  public static final String POSTGRESQL = "postgresql";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  public BackupManifest {
    engine = engine == null ? SQLITE : engine;
    files = List.copyOf(files);
  }

  /**
   * One file of the backup.
   *
   * @param path relative, '/'-separated
   * @param mode octal permission bits it is restored with, e.g. "600"
   */
  public record FileEntry(String path, long size, String sha256, String mode) {}

  public String toJson() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the manifest: " + e.getMessage(), e);
    }
  }

  /** Parses {@code json}; a damaged or foreign manifest is refused with what was wrong. */
  public static BackupManifest parse(String json) throws BackupException {
    BackupManifest manifest;
    try {
      manifest = JSON.readValue(json, BackupManifest.class);
    } catch (JsonProcessingException e) {
      throw BackupException.refused(FILE_NAME + " cannot be read: " + e.getOriginalMessage());
    } catch (RuntimeException e) {
      throw BackupException.refused(FILE_NAME + " cannot be read: " + e.getMessage());
    }
    if (manifest.format() != FORMAT) {
      throw BackupException.refused(
          FILE_NAME
              + " has format "
              + manifest.format()
              + ", this DebVisor reads format "
              + FORMAT
              + "; restore with the DebVisor version that made it ("
              + manifest.debvisorVersion()
              + ") or newer");
    }
    if (!manifest.engine().equals(SQLITE) && !manifest.engine().equals(POSTGRESQL)) {
      throw BackupException.refused(
          FILE_NAME
              + " names the database engine "
              + manifest.engine()
              + ", this DebVisor restores "
              + SQLITE
              + " and "
              + POSTGRESQL);
    }
    for (FileEntry file : manifest.files()) {
      if (file.path() == null
          || file.path().isEmpty()
          || file.path().startsWith("/")
          || List.of(file.path().split("/")).contains("..")
          || file.sha256() == null
          || file.mode() == null
          || !file.mode().matches("[0-7]{3}")) {
        throw BackupException.refused(FILE_NAME + " lists an invalid file entry: " + file);
      }
    }
    return manifest;
  }
}
