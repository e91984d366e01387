package org.debvisor.controller.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.debvisor.common.digest.Sha256;

/** Test helpers that damage a copy of a good backup the ways restore must notice. */
final class BackupTampering {

  private BackupTampering() {}

  /**
   * A file-by-file copy of {@code backup} at {@code copy}, to damage without touching the good one.
   */
  static Path copy(Path backup, Path copy) throws IOException {
    for (Map.Entry<String, String> e : DirectorySnapshot.of(backup).entrySet()) {
      Path source = backup.resolve(e.getKey());
      if (!e.getKey().isEmpty() && Files.isRegularFile(source)) {
        Path target = copy.resolve(e.getKey());
        Files.createDirectories(target.getParent());
        Files.copy(source, target);
      }
    }
    return copy;
  }

  /** Replaces the manifest with {@code json} and its checksum to match, as a forger would. */
  static void rewriteManifest(Path backup, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Files.write(backup.resolve("manifest.json"), bytes);
    Files.writeString(backup.resolve("manifest.sha256"), Sha256.hex(bytes) + "  manifest.json\n");
  }
}
