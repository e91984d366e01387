package org.debvisor.agent.config;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes the records of the state directory (journal, outcome, history and current-state lines) as
 * the JSON that Jackson reads back into them. Written by hand because every apply writes four of
 * them and Jackson's per-call set-up cost more CPU than the rest of the encoding; reading stays
 * with Jackson (start-up and recovery only). Field names are the record components' names.
 */
final class StateJson {

  private final StringBuilder out = new StringBuilder(256);

  private StateJson() {}

  /** The journal's first line, newline included. */
  static byte[] line(JournalRecord r) {
    StateJson j = new StateJson();
    j.open()
        .field("sequence", r.sequence())
        .field("txn", r.txn())
        .field("phase", r.phase() == null ? null : r.phase().name())
        .field("version", r.version())
        .field("previousVersion", r.previousVersion())
        .field("startedAt", r.startedAt());
    j.name("files").out.append('[');
    List<JournalRecord.JournalFile> files = r.files();
    for (int i = 0; i < files.size(); i++) {
      JournalRecord.JournalFile f = files.get(i);
      j.comma(i)
          .open()
          .field("path", f.path())
          .field("target", f.target())
          .field("staged", f.staged())
          .field("backup", f.backup())
          .field("existed", f.existed())
          .field("sha256", f.sha256())
          .field("mode", f.mode())
          .close();
    }
    j.out.append(']');
    j.name("createdDirs").out.append('[');
    List<String> dirs = r.createdDirs();
    for (int i = 0; i < dirs.size(); i++) {
      j.comma(i).string(dirs.get(i));
    }
    j.out.append(']');
    j.name("services").out.append('[');
    List<JournalRecord.JournalService> services = r.services();
    for (int i = 0; i < services.size(); i++) {
      JournalRecord.JournalService s = services.get(i);
      j.comma(i).open().field("unit", s.unit()).field("action", s.action()).close();
    }
    j.out.append(']');
    return j.field("caller", r.caller()).field("reason", r.reason()).close().line();
  }

  /** A journal's outcome line, newline included. */
  static byte[] line(ApplyJournal.Outcome o) {
    return new StateJson()
        .open()
        .field("result", o.result())
        .field("at", o.at())
        .field("caller", o.caller())
        .field("reason", o.reason())
        .close()
        .line();
  }

  /** A line of the history, newline included. */
  static byte[] line(HistoryRecord r) {
    return new StateJson()
        .open()
        .field("txn", r.txn())
        .field("version", r.version())
        .field("previousVersion", r.previousVersion())
        .field("at", r.at())
        .field("caller", r.caller())
        .field("result", r.result())
        .field("reason", r.reason())
        .close()
        .line();
  }

  /** The content of {@code current.json} (no newline, as Jackson wrote it). */
  static byte[] bytes(CurrentRecord r) {
    StateJson j = new StateJson();
    j.open()
        .field("version", r.version())
        .field("txn", r.txn())
        .field("appliedAt", r.appliedAt())
        .field("caller", r.caller());
    j.name("files").out.append('[');
    List<CurrentRecord.FileRecord> files = r.files();
    for (int i = 0; i < files.size(); i++) {
      CurrentRecord.FileRecord f = files.get(i);
      j.comma(i)
          .open()
          .field("path", f.path())
          .field("sha256", f.sha256())
          .field("mode", f.mode())
          .close();
    }
    j.out.append(']');
    return j.close().out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private StateJson open() {
    out.append('{');
    return this;
  }

  private StateJson close() {
    out.append('}');
    return this;
  }

  private StateJson comma(int index) {
    if (index > 0) {
      out.append(',');
    }
    return this;
  }

  /** The name of the next member, after a comma unless it is the object's first. */
  private StateJson name(String name) {
    if (out.charAt(out.length() - 1) != '{') {
      out.append(',');
    }
    string(name);
    out.append(':');
    return this;
  }

  private StateJson field(String name, String value) {
    name(name);
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    return this;
  }

  private StateJson field(String name, long value) {
    name(name);
    out.append(value);
    return this;
  }

  private StateJson field(String name, boolean value) {
    name(name);
    out.append(value);
    return this;
  }

  private void string(String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            // Other control characters are not allowed raw in a JSON string.
            out.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private byte[] line() {
    out.append('\n');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static final String HEX = "0123456789abcdef";
}
