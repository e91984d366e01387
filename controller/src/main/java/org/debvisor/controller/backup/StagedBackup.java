package org.debvisor.controller.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.debvisor.common.digest.Sha256;

/**
 * The part every backup shares, whatever the inventory's engine: the files are written in a hidden
 * staging directory, synced and renamed into place only once complete (a cut backup never looks
 * complete), and the start, the failure or the success is audited.
 */
final class StagedBackup {

  /** Appends a {@code controller.backup} entry with this result and detail. */
  interface Audit {
    void append(String result, String detail) throws SQLException;
  }

  /** Writes the backup's files into {@code staging} and returns their manifest. */
  interface Contents {
    BackupManifest write(Path staging) throws IOException, SQLException;
  }

  private StagedBackup() {}

  /**
   * Writes the backup at {@code path} (absolute, checked by {@link ControllerBackup#checkTarget});
   * {@code started} is the detail of the entry audited before the files are written, so the backup
   * carries its own entry.
   */
  static BackupResult write(
      Path path, String started, Audit audit, Contents contents, BackupProgress progress)
      throws BackupException {
    Path staging = ControllerBackup.stagingFor(path);
    try {
      // A killed earlier run leaves its staging directory: it never was a backup.
      DurableFiles.deleteTree(staging);
      DurableFiles.createPrivateDirectory(staging);
    } catch (IOException e) {
      throw BackupException.failed(
          "cannot write in "
              + path.getParent()
              + ": "
              + ControllerBackup.describe(e)
              + "; nothing was written",
          e);
    }
    BackupManifest manifest;
    try {
      audit.append("started", started);
      manifest = contents.write(staging);
      DurableFiles.syncTree(staging);
      ControllerBackup.moveIntoPlace(staging, path);
    } catch (IOException | SQLException | RuntimeException e) {
      cleanUp(staging);
      String reason = ControllerBackup.describe(e);
      try {
        audit.append("failed", "to " + path + ": " + reason);
      } catch (SQLException ignored) {
        // The database may be what failed; the error below is what the operator needs.
      }
      throw BackupException.failed(
          "backup to " + path + " failed: " + reason + "; nothing was left at " + path, e);
    }
    long bytes = manifest.files().stream().mapToLong(BackupManifest.FileEntry::size).sum();
    try {
      audit.append("ok", path + ": " + manifest.files().size() + " files, " + bytes + " bytes");
    } catch (SQLException e) {
      progress.step(
          "warning: the backup is complete but its audit entry failed: " + e.getMessage());
    }
    progress.step("backup complete: " + path + " (" + bytes + " bytes)");
    return new BackupResult(path, manifest, bytes);
  }

  /** The manifest and its SHA256SUMS-style checksum line, each written durably, mode 600. */
  static void writeManifest(Path staging, BackupManifest manifest) throws IOException {
    byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
    DurableFiles.write(staging.resolve(BackupManifest.FILE_NAME), json, "600");
    DurableFiles.write(
        staging.resolve(BackupManifest.CHECKSUM_FILE_NAME),
        (Sha256.hex(json) + "  " + BackupManifest.FILE_NAME + "\n")
            .getBytes(StandardCharsets.US_ASCII),
        "600");
  }

  /** The manifest entry of a file written in {@code staging}: its size and SHA-256. */
  static BackupManifest.FileEntry fileEntry(Path staging, String name, String mode)
      throws IOException {
    Path file = staging.resolve(name);
    return new BackupManifest.FileEntry(name, Files.size(file), Sha256.hex(file), mode);
  }

  private static void cleanUp(Path staging) {
    try {
      DurableFiles.deleteTree(staging);
    } catch (IOException ignored) {
      // Left behind only if the disk refuses even deletes; the next run removes it.
    }
  }
}
