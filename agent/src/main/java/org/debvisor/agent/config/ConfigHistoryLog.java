package org.debvisor.agent.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code history.jsonl}: one JSON line per outcome, oldest first. Readers see at most {@code limit}
 * entries; the file may grow to twice that before it is compacted, so that a full history costs one
 * append per outcome rather than a rewrite of every line.
 *
 * <p>Kept in memory as well; callers serialise access (the store's lock).
 */
final class ConfigHistoryLog {

  private final Path file;
  private final ObjectMapper json;
  private final DurableFiles files;
  private final int limit;
  private final Deque<HistoryRecord> entries = new ArrayDeque<>();
  // How many kept entries have each transaction-and-result, so checking for one costs no scan.
  private final Map<String, Integer> keys = new HashMap<>();
  private int linesOnDisk;
  private boolean unsynced;

  ConfigHistoryLog(Path stateDir, ObjectMapper json, DurableFiles files, int limit)
      throws IOException {
    this.file = stateDir.resolve("history.jsonl");
    this.json = json;
    this.files = files;
    this.limit = Math.max(1, limit);
    load();
  }

  /**
   * Appends unless a kept entry already records this transaction with this result; durable (with
   * every line before it) when this returns.
   */
  HistoryRecord append(HistoryRecord record) throws IOException {
    try (SyncGroup group = files.group()) {
      HistoryRecord appended = appendInto(record, group);
      if (group.isEmpty()) {
        syncInto(group);
      }
      group.sync();
      synced();
      return appended;
    }
  }

  /**
   * As {@link #append}, without waiting for the disk: for a line a committed journal covers, so
   * recovery can append it again. {@link #syncInto} a later group makes it durable.
   */
  HistoryRecord appendUnsynced(HistoryRecord record) throws IOException {
    return appendInto(record, null);
  }

  /** Whether a line for this transaction with this result is recorded (among those kept). */
  boolean contains(String txn, String result) {
    return keys.containsKey(key(txn, result));
  }

  private HistoryRecord find(String txn, String result) {
    if (!contains(txn, result)) {
      return null;
    }
    Iterator<HistoryRecord> it = entries.descendingIterator();
    while (it.hasNext()) {
      HistoryRecord r = it.next();
      if (r.txn().equals(txn) && r.result().equals(result)) {
        return r;
      }
    }
    return null;
  }

  private static String key(String txn, String result) {
    return txn + "/" + result;
  }

  private void remember(HistoryRecord record) {
    entries.addLast(record);
    if (!record.txn().isEmpty()) {
      keys.merge(key(record.txn(), record.result()), 1, Integer::sum);
    }
  }

  private void trim() {
    while (entries.size() > limit) {
      HistoryRecord dropped = entries.removeFirst();
      if (!dropped.txn().isEmpty()) {
        keys.computeIfPresent(
            key(dropped.txn(), dropped.result()), (k, n) -> n == 1 ? null : n - 1);
      }
    }
  }

  /**
   * Adds the file to {@code group} if lines were appended without waiting for the disk; call {@link
   * #synced} once the group is synced.
   */
  void syncInto(SyncGroup group) throws IOException {
    if (unsynced) {
      files.addExisting(file, group);
    }
  }

  /** The lines added to a group by {@link #syncInto} are durable. */
  void synced() {
    unsynced = false;
  }

  /**
   * As {@link #append}, but an appended line is durable only once the caller syncs {@code group}
   * (with no group: once a later group holds the file; a compaction is durable at once).
   */
  private HistoryRecord appendInto(HistoryRecord record, SyncGroup group) throws IOException {
    HistoryRecord earlier = record.txn().isEmpty() ? null : find(record.txn(), record.result());
    if (earlier != null) {
      // A resumed commit or rollback repeats its line; once is enough.
      return earlier;
    }
    if (linesOnDisk >= 2 * limit) {
      Deque<HistoryRecord> kept = new ArrayDeque<>(entries);
      kept.addLast(record);
      while (kept.size() > limit) {
        kept.removeFirst();
      }
      rewrite(kept);
      entries.clear();
      keys.clear();
      kept.forEach(this::remember);
      return record;
    }
    try {
      if (group == null) {
        files.appendUnsynced(file, StateJson.line(record));
        unsynced = true;
      } else {
        files.appendInto(file, StateJson.line(record), group);
      }
      linesOnDisk++;
    } catch (IOException e) {
      repairAfterFailedAppend(e);
      throw e;
    }
    remember(record);
    trim();
    return record;
  }

  /** Newest first, at most {@code max} entries. */
  List<HistoryRecord> newestFirst(int max) {
    List<HistoryRecord> out = new ArrayList<>();
    Iterator<HistoryRecord> it = entries.descendingIterator();
    while (it.hasNext() && out.size() < max) {
      out.add(it.next());
    }
    return out;
  }

  private void load() throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    boolean damaged = false;
    byte[] all = Files.readAllBytes(file);
    int start = 0;
    while (start < all.length) {
      int end = start;
      while (end < all.length && all[end] != '\n') {
        end++;
      }
      // Lenient decoding: a crash may cut a line inside a multi-byte character.
      String text = new String(all, start, end - start, StandardCharsets.UTF_8);
      start = end + 1;
      if (text.isBlank()) {
        continue;
      }
      try {
        HistoryRecord record = Objects.requireNonNull(json.readValue(text, HistoryRecord.class));
        record.toProto();
        remember(record);
        linesOnDisk++;
      } catch (IOException | RuntimeException e) {
        // Only a line cut short by a crash (or edited by hand) is unreadable; drop it.
        damaged = true;
      }
    }
    trim();
    if (damaged || linesOnDisk > 2 * limit) {
      rewrite(entries);
    }
  }

  private void repairAfterFailedAppend(IOException failure) {
    // A half-written line would swallow the next append; put back the known-good content.
    try {
      rewrite(entries);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private void rewrite(Deque<HistoryRecord> records) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (HistoryRecord r : records) {
      all.writeBytes(StateJson.line(r));
    }
    files.writeAtomically(file, all.toByteArray());
    linesOnDisk = records.size();
    unsynced = false;
  }
}
