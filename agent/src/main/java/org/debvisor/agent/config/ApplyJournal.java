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
  private final DurableFiles files;

  ApplyJournal(Path stateDir, ObjectMapper json, DurableFiles files) {
    this.file = stateDir.resolve("journal.json");
    this.json = json;
    this.files = files;
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

  /** Replaces the journal with {@code record}; durable when this returns. */
  void write(JournalRecord record) throws IOException {
    files.writeAtomically(file, json.writeValueAsBytes(record));
  }

  /**
   * Puts {@code record} in place, complete (its content is fsynced before the rename), but leaves
   * the rename's durability to the caller's fsync of the state directory.
   */
  void writeAwaitingDirectorySync(JournalRecord record) throws IOException {
    files.replaceAtomically(file, json.writeValueAsBytes(record));
  }

  /** Removes the journal durably. */
  void delete() throws IOException {
    files.delete(file);
  }

  /**
   * Removes the journal of a finished commit without waiting for the disk: should a power cut bring
   * it back, recovery finds its transaction committed and repeats the (idempotent) clean-up.
   */
  void deleteCommitted() throws IOException {
    Files.deleteIfExists(file);
  }

  Path path() {
    return file;
  }
}
