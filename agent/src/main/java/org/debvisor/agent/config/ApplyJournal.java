package org.debvisor.agent.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The single journal file of the transaction in progress, written atomically. */
final class ApplyJournal {

  private final Path file;
  private final ObjectMapper json;

  ApplyJournal(Path stateDir, ObjectMapper json) {
    this.file = stateDir.resolve("journal.json");
    this.json = json;
  }

  Optional<JournalRecord> read() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(file.toFile(), JournalRecord.class));
    } catch (IOException e) {
      throw new IOException("cannot read the config journal " + file + ": " + e.getMessage(), e);
    }
  }

  void write(JournalRecord record) throws IOException {
    DurableFiles.writeAtomically(file, json.writeValueAsBytes(record));
  }

  void delete() throws IOException {
    DurableFiles.delete(file);
  }

  Path path() {
    return file;
  }
}
