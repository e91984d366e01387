package org.debvisor.agent.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code current.json}: the committed version, replaced atomically. */
final class CurrentStateFile {

  private final Path file;
  private final ObjectMapper json;

  CurrentStateFile(Path stateDir, ObjectMapper json) {
    this.file = stateDir.resolve("current.json");
    this.json = json;
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

  void write(CurrentRecord record) throws IOException {
    DurableFiles.writeAtomically(file, json.writeValueAsBytes(record));
  }
}
