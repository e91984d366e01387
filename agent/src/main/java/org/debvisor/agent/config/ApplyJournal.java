package org.debvisor.agent.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The journals of the state directory: one file {@code journal-SEQ.json} per apply. Its first line
 * is the apply's {@link JournalRecord}, written and fsynced with the staged files before any target
 * changes; a second line, appended and fsynced, records the outcome: {@code COMMITTED} (the commit
 * point) or {@code ROLLING_BACK}. A committed journal stays until the next apply has made
 * everything it covers durable ({@code current.json}, its history line, its directories), so those
 * need no fsync of their own: recovery re-derives them from it.
 *
 * <p>A first line cut short by a power cut belongs to an apply that never reached its switch (the
 * switch waits for that line's fsync), so such a journal is reported as torn and changed nothing. A
 * cut second line is ignored, as if the outcome had not been recorded.
 *
 * <p>{@code journal.json}, the single journal of older agents, is read too: committed when {@code
 * current.json} names its transaction.
 */
final class ApplyJournal {

  static final String LEGACY_NAME = "journal.json";
  private static final Pattern NAME = Pattern.compile("journal-(\\d+)\\.json");

  /** Results an outcome line can hold. */
  static final String COMMITTED = "COMMITTED";

  static final String ROLLING_BACK = "ROLLING_BACK";

  /**
   * The second line of a journal.
   *
   * @param result {@link #COMMITTED} or {@link #ROLLING_BACK}
   * @param at ISO-8601 instant of the commit (COMMITTED only)
   * @param caller who committed or asked for the rollback
   * @param reason why it is rolled back (ROLLING_BACK only)
   */
  record Outcome(String result, String at, String caller, String reason) {}

  /**
   * One journal file as read.
   *
   * @param file where it is
   * @param record the apply, as {@link JournalRecord.Phase#ROLLING_BACK} if that was decided
   * @param committed the commit line, if the apply was committed
   * @param legacy whether it is an older agent's {@code journal.json}
   */
  record Entry(Path file, JournalRecord record, Optional<Outcome> committed, boolean legacy) {}

  /**
   * Every journal of the state directory.
   *
   * @param entries readable journals, oldest first
   * @param torn journals whose first line was cut short by a power cut
   */
  record Scan(List<Entry> entries, List<Path> torn) {
    boolean isEmpty() {
      return entries.isEmpty() && torn.isEmpty();
    }

    List<Path> files() {
      List<Path> all = new ArrayList<>(torn);
      entries.forEach(e -> all.add(e.file()));
      return all;
    }
  }

  private final Path dir;
  private final ObjectMapper json;
  private final DurableFiles files;
  private long lastSequence;

  ApplyJournal(Path stateDir, ObjectMapper json, DurableFiles files) throws IOException {
    this.dir = stateDir;
    this.json = json;
    this.files = files;
    for (Entry e : scan().entries()) {
      lastSequence = Math.max(lastSequence, e.record().sequence());
    }
  }

  /** The sequence number the next apply's journal gets. */
  long nextSequence() {
    return lastSequence + 1;
  }

  Path fileOf(JournalRecord record) {
    return record.sequence() == 0
        ? dir.resolve(LEGACY_NAME)
        : dir.resolve("journal-" + record.sequence() + ".json");
  }

  /** Reads every journal, oldest first. */
  Scan scan() throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<Path> torn = new ArrayList<>();
    Path legacy = dir.resolve(LEGACY_NAME);
    if (Files.exists(legacy)) {
      try {
        entries.add(
            new Entry(
                legacy,
                json.readValue(legacy.toFile(), JournalRecord.class),
                Optional.empty(),
                true));
      } catch (IOException e) {
        throw new IOException(
            "cannot read the config journal " + legacy + ": " + e.getMessage(), e);
      }
    }
    try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "journal-*.json")) {
      for (Path file : found) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (m.matches()) {
          read(file).ifPresentOrElse(entries::add, () -> torn.add(file));
        }
      }
    }
    entries.sort(Comparator.comparingLong(e -> e.record().sequence()));
    return new Scan(List.copyOf(entries), List.copyOf(torn));
  }

  private Optional<Entry> read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    int first = indexOf(all, 0);
    if (first < 0) {
      return Optional.empty();
    }
    JournalRecord record;
    try {
      record = json.readValue(all, 0, first, JournalRecord.class);
    } catch (IOException e) {
      // Complete lines are only ever written whole; a line that ends but does not parse is damage.
      throw new IOException("cannot read the config journal " + file + ": " + e.getMessage(), e);
    }
    Optional<Outcome> committed = Optional.empty();
    int second = indexOf(all, first + 1);
    if (second > first + 1) {
      Outcome outcome = json.readValue(all, first + 1, second - first - 1, Outcome.class);
      if (COMMITTED.equals(outcome.result())) {
        committed = Optional.of(outcome);
      } else if (ROLLING_BACK.equals(outcome.result())) {
        record = record.rollingBack(outcome.caller(), outcome.reason());
      }
    }
    return Optional.of(new Entry(file, record, committed, false));
  }

  private static int indexOf(byte[] all, int from) {
    for (int i = from; i < all.length; i++) {
      if (all[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Writes {@code record} as a new journal and adds it and the state directory to {@code group};
   * the record is durable once the group is synced.
   */
  Path writeInto(JournalRecord record, SyncGroup group) throws IOException {
    Path file = fileOf(record);
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      DurableFiles.writeFully(channel, StateJson.line(record));
    } catch (IOException e) {
      channel.close();
      Files.deleteIfExists(file);
      throw e;
    }
    lastSequence = Math.max(lastSequence, record.sequence());
    group.addFile(channel);
    group.addDirectory(dir.toString(), dir);
    return file;
  }

  /**
   * Appends the outcome line to {@code record}'s journal, which {@link #writeInto} made durable;
   * durable when this returns.
   */
  void recordOutcome(JournalRecord record, Outcome outcome) throws IOException {
    files.appendToExisting(fileOf(record), StateJson.line(outcome));
  }

  /** Removes journals without waiting for the disk (they cover nothing that is not durable). */
  void forget(List<Path> journals) throws IOException {
    for (Path file : journals) {
      Files.deleteIfExists(file);
    }
  }

  /** Removes journals and makes that durable. */
  void delete(List<Path> journals) throws IOException {
    boolean any = false;
    for (Path file : journals) {
      any |= Files.deleteIfExists(file);
    }
    if (any) {
      files.fsyncDirectory(dir);
    }
  }
}
