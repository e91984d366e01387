package org.debvisor.agent.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes the records of the state directory (journal, outcome, history and current-state lines) as
 * the JSON that Jackson's data binding reads back into them, through Jackson's streaming generator:
 * every apply writes four of them, and data binding's per-call set-up cost more CPU than the rest
 * of the encoding. Reading stays with data binding (start-up and recovery only). Field names are
 * the record components' names; {@code StateJsonTest} pins that both give the same JSON.
 */
final class StateJson {

  // Thread-safe once configured; generators are cheap and recycle their buffers.
  private static final JsonFactory FACTORY = new JsonFactory();

  private StateJson() {}

  /** One record's writer. */
  @FunctionalInterface
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** The journal's first line, newline included. */
  static byte[] line(JournalRecord r) {
    return encode(
        true,
        g -> {
          g.writeNumberField("sequence", r.sequence());
          g.writeStringField("txn", r.txn());
          g.writeStringField("phase", r.phase() == null ? null : r.phase().name());
          g.writeStringField("version", r.version());
          g.writeStringField("previousVersion", r.previousVersion());
          g.writeStringField("startedAt", r.startedAt());
          g.writeArrayFieldStart("files");
          for (JournalRecord.JournalFile f : r.files()) {
            g.writeStartObject();
            g.writeStringField("path", f.path());
            g.writeStringField("target", f.target());
            g.writeStringField("staged", f.staged());
            g.writeStringField("backup", f.backup());
            g.writeBooleanField("existed", f.existed());
            g.writeStringField("sha256", f.sha256());
            g.writeNumberField("mode", f.mode());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeArrayFieldStart("createdDirs");
          for (String dir : r.createdDirs()) {
            g.writeString(dir);
          }
          g.writeEndArray();
          g.writeArrayFieldStart("services");
          for (JournalRecord.JournalService s : r.services()) {
            g.writeStartObject();
            g.writeStringField("unit", s.unit());
            g.writeStringField("action", s.action());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeStringField("caller", r.caller());
          g.writeStringField("reason", r.reason());
        });
  }

  /** A journal's outcome line, newline included. */
  static byte[] line(ApplyJournal.Outcome o) {
    return encode(
        true,
        g -> {
          g.writeStringField("result", o.result());
          g.writeStringField("at", o.at());
          g.writeStringField("caller", o.caller());
          g.writeStringField("reason", o.reason());
        });
  }

  /** A line of the history, newline included. */
  static byte[] line(HistoryRecord r) {
    return encode(
        true,
        g -> {
          g.writeStringField("txn", r.txn());
          g.writeStringField("version", r.version());
          g.writeStringField("previousVersion", r.previousVersion());
          g.writeStringField("at", r.at());
          g.writeStringField("caller", r.caller());
          g.writeStringField("result", r.result());
          g.writeStringField("reason", r.reason());
        });
  }

  /** The content of {@code current.json} (no newline, as data binding wrote it). */
  static byte[] bytes(CurrentRecord r) {
    return encode(
        false,
        g -> {
          g.writeStringField("version", r.version());
          g.writeStringField("txn", r.txn());
          g.writeStringField("appliedAt", r.appliedAt());
          g.writeStringField("caller", r.caller());
          g.writeArrayFieldStart("files");
          for (CurrentRecord.FileRecord f : r.files()) {
            g.writeStartObject();
            g.writeStringField("path", f.path());
            g.writeStringField("sha256", f.sha256());
            g.writeNumberField("mode", f.mode());
            g.writeEndObject();
          }
          g.writeEndArray();
        });
  }

  private static byte[] encode(boolean newline, Body body) {
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      // Only an in-memory buffer is written to.
      throw new UncheckedIOException("cannot encode a state record", e);
    }
    if (newline) {
      out.write('\n');
    }
    return out.toByteArray();
  }
}
