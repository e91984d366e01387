package org.debvisor.agent.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code current.json}: the committed version, replaced atomically. */
final class CurrentStateFile {

  private final Path file;
  private final ObjectMapper json;
  private final DurableFiles files;

  CurrentStateFile(Path stateDir, ObjectMapper json, DurableFiles files) {
    this.file = stateDir.resolve("current.json");
    this.json = json;
    this.files = files;
  }

  CurrentRecord read() throws IOException {
    if (!Files.exists(file)) {
      return CurrentRecord.NONE;
    }
    try {
      return json.readValue(file.toFile(), CurrentRecord.class);
    } catch (IOException e) {
      throw new IOException(
          "cannot read the active config state " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code record} next to the file and adds it to {@code group}; {@link #install} it once
   * the group is synced.
   */
  Path stage(CurrentRecord record, SyncGroup group) throws IOException {
    return files.writeTempInto(file, json.writeValueAsBytes(record), group);
  }

  /** Renames a staged record over the file; durable once the state directory is synced. */
  void install(Path staged) throws IOException {
    DurableFiles.renameOver(staged, file);
  }
}
