package org.debvisor.controller.server;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;

/**
 * Audits refused enrolments without letting an unauthenticated caller grow the audit log: the first
 * refusal per (source address, reason) in an interval is written at once with its full detail; the
 * repeats are counted and written as one summary row (count, first and last time, last detail) when
 * the interval ends. Memory is bounded: beyond {@code maxKeys} pairs (default {@link #MAX_KEYS}),
 * new sources share one overflow pair per reason.
 */
final class RefusalAudit {

  static final int MAX_KEYS = 4_096;
  static final String OVERFLOW_SOURCE = "other-sources";

  private record Key(String source, String reason) {}

  /** Repeats of one key since its first audited refusal. */
  private static final class Window {
    final Instant start;
    long repeats;
    Instant lastAt;
    String lastTarget = "";
    String lastDetail = "";

    Window(Instant start) {
      this.start = start;
    }
  }

  private final AuditLog audit;
  private final Clock clock;
  private final Duration interval;
  private final int maxKeys;
  private final Map<Key, Window> windows = new LinkedHashMap<>();

  RefusalAudit(AuditLog audit, Clock clock, Duration interval) {
    this(audit, clock, interval, MAX_KEYS);
  }

  RefusalAudit(AuditLog audit, Clock clock, Duration interval, int maxKeys) {
    this.audit = audit;
    this.clock = clock;
    this.interval = interval;
    this.maxKeys = maxKeys;
  }

  /**
   * Records one refusal inside the caller's write transaction: writes summaries that are due, then
   * this refusal's row when it is the first of its kind in the interval.
   */
  synchronized void refused(
      Connection c, String nodeId, String source, String reason, String detail)
      throws SQLException {
    Instant now = clock.instant();
    flushDue(c, now);
    Key key = new Key(source, reason);
    if (!windows.containsKey(key) && windows.size() >= maxKeys) {
      key = new Key(OVERFLOW_SOURCE, reason);
    }
    Window window = windows.get(key);
    if (window != null) {
      window.repeats++;
      window.lastAt = now;
      window.lastTarget = nodeId;
      window.lastDetail = source + ": " + detail;
      return;
    }
    windows.put(key, new Window(now));
    audit.append(
        c,
        new AuditEntry(
            "node:" + nodeId,
            "node.register",
            nodeId,
            source,
            "refused",
            "reason="
                + reason
                + (key.source().equals(source) ? "" : " counted-as=" + key.source())
                + " "
                + detail));
  }

  /** Writes the summaries of intervals that have ended; returns how many rows it wrote. */
  synchronized int flushDue(Connection c) throws SQLException {
    return flushDue(c, clock.instant());
  }

  /** Writes every pending summary now (shutdown). */
  synchronized int flushAll(Connection c) throws SQLException {
    return flush(c, Instant.MAX);
  }

  /** Pairs being counted (for tests of the memory bound). */
  synchronized int pending() {
    return windows.size();
  }

  private int flushDue(Connection c, Instant now) throws SQLException {
    return flush(c, now.minus(interval));
  }

  private int flush(Connection c, Instant startedBy) throws SQLException {
    List<Map.Entry<Key, Window>> due = new ArrayList<>();
    for (Iterator<Map.Entry<Key, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Window> e = it.next();
      if (startedBy == Instant.MAX || !e.getValue().start.isAfter(startedBy)) {
        due.add(e);
        it.remove();
      }
    }
    int written = 0;
    for (Map.Entry<Key, Window> e : due) {
      Window w = e.getValue();
      if (w.repeats == 0) {
        continue;
      }
      audit.append(
          c,
          new AuditEntry(
              "node:" + w.lastTarget,
              "node.register",
              w.lastTarget,
              e.getKey().source(),
              "refused",
              "reason="
                  + e.getKey().reason()
                  + " repeated="
                  + w.repeats
                  + " from="
                  + w.start
                  + " to="
                  + w.lastAt
                  + " last: "
                  + w.lastDetail));
      written++;
    }
    return written;
  }
}
