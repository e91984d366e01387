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
   * As {@link #read}, but an unreadable file (a power cut can leave it empty when a journal still
   * covers it) yields {@link CurrentRecord#NONE}, for the recovery to rebuild.
   */
  CurrentRecord readOrNone() {
    try {
      return read();
    } catch (IOException e) {
      return CurrentRecord.NONE;
    }
  }

  /**
   * Overwrites the file with {@code record} in place without waiting for the disk. The committed
   * journal that holds the same record stays until a later rollback or recovery {@link #write}s the
   * file durably, and recovery believes that journal over whatever a power cut left here.
   */
  void overwriteUnsynced(CurrentRecord record) throws IOException {
    files.overwriteUnsynced(file, StateJson.bytes(record));
  }

  /** Replaces the file with {@code record}; durable when this returns. */
  void write(CurrentRecord record) throws IOException {
    files.writeAtomically(file, StateJson.bytes(record));
  }

  /** Adds the file, if present, to {@code group}, so its content is durable once it is synced. */
  void syncInto(SyncGroup group) throws IOException {
    if (Files.exists(file)) {
      files.addExisting(file, group);
    }
  }
}
