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
import java.util.Iterator;
import java.util.List;
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
  private int linesOnDisk;

  ConfigHistoryLog(Path stateDir, ObjectMapper json, DurableFiles files, int limit)
      throws IOException {
    this.file = stateDir.resolve("history.jsonl");
    this.json = json;
    this.files = files;
    this.limit = Math.max(1, limit);
    load();
  }

  /**
   * Appends unless the newest entry already records this transaction with this result; durable when
   * this returns.
   */
  HistoryRecord append(HistoryRecord record) throws IOException {
    try (SyncGroup group = files.group()) {
      HistoryRecord appended = appendInto(record, group);
      group.sync();
      return appended;
    }
  }

  /**
   * As {@link #append}, but an appended line is durable only once the caller syncs {@code group} (a
   * compaction is durable at once).
   */
  HistoryRecord appendInto(HistoryRecord record, SyncGroup group) throws IOException {
    HistoryRecord newest = entries.peekLast();
    if (!record.txn().isEmpty()
        && newest != null
        && newest.txn().equals(record.txn())
        && newest.result().equals(record.result())) {
      return newest;
    }
    Deque<HistoryRecord> kept = new ArrayDeque<>(entries);
    kept.addLast(record);
    while (kept.size() > limit) {
      kept.removeFirst();
    }
    if (linesOnDisk >= 2 * limit) {
      rewrite(kept);
    } else {
      try {
        files.appendInto(file, line(record), group);
        linesOnDisk++;
      } catch (IOException e) {
        repairAfterFailedAppend(e);
        throw e;
      }
    }
    entries.clear();
    entries.addAll(kept);
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
        entries.addLast(record);
        linesOnDisk++;
      } catch (IOException | RuntimeException e) {
        // Only a line cut short by a crash (or edited by hand) is unreadable; drop it.
        damaged = true;
      }
    }
    while (entries.size() > limit) {
      entries.removeFirst();
    }
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
      all.writeBytes(line(r));
    }
    files.writeAtomically(file, all.toByteArray());
    linesOnDisk = records.size();
  }

  private byte[] line(HistoryRecord record) throws IOException {
    byte[] body = json.writeValueAsBytes(record);
    byte[] out = new byte[body.length + 1];
    System.arraycopy(body, 0, out, 0, body.length);
    out[body.length] = '\n';
    return out;
  }
}
