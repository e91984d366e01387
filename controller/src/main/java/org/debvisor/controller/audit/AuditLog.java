package org.debvisor.controller.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only audit log and all its SQL. {@link #append} runs inside the caller's write
 * transaction, so an action and its audit entry commit (or roll back) together, and appends from
 * several controllers on one database form one chain.
 */
public final class AuditLog {

  private final Clock clock;

  public AuditLog(Clock clock) {
    this.clock = clock;
  }

  /** Appends the entry after the current last one and returns it as stored. */
  public AuditRecord append(Connection c, AuditEntry entry) throws SQLException {
    if ("SQLite".equals(c.getMetaData().getDatabaseProductName())) {
      return insert(c, chainEnd(c), entry);
    }
    Instant at = now();
    try (PreparedStatement ps = c.prepareStatement(APPEND_AT_HEAD)) {
      int i = setEntry(ps, 1, at, entry);
      ps.setBytes(i, AuditChain.tail(at, entry));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw missingHead();
        }
        return new AuditRecord(rs.getLong(1), at, entry, rs.getString(2), rs.getString(3));
      }
    }
  }

  /**
   * Appends on PostgreSQL the way controllers did before the head kept the chain's end (schema 7
   * and older): the head row locked, the end read from the log. For tools that never migrate, such
   * as a backup run by this release beside controllers of the one before; on a newer schema the
   * insert's trigger moves the head, so either way the chain stays one.
   */
  public AuditRecord appendOnAnyPostgresSchema(Connection c, AuditEntry entry) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement(LOCK_HEAD_ROW)) {
      if (lock.executeUpdate() != 1) {
        throw missingHead();
      }
    }
    return insert(c, chainEnd(c), entry);
  }

  /** The last entry's seq and hash (0 and the genesis for an empty log). */
  private record ChainEnd(long seq, String hash) {}

  private static ChainEnd chainEnd(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LAST_ENTRY);
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        return new ChainEnd(rs.getLong(1), rs.getString(2));
      }
      return new ChainEnd(0, AuditChain.GENESIS);
    }
  }

  private static SQLException missingHead() {
    return new SQLException(
        "the audit_head row is missing; the database was not created by debvisor's migrations");
  }

  private AuditRecord insert(Connection c, ChainEnd end, AuditEntry entry) throws SQLException {
    long seq = end.seq() + 1;
    String prev = end.hash();
    Instant at = now();
    String hash = AuditChain.hash(prev, seq, at, entry);
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setLong(1, seq);
      int i = setEntry(ps, 2, at, entry);
      ps.setString(i++, prev);
      ps.setString(i, hash);
      ps.executeUpdate();
    }
    return new AuditRecord(seq, at, entry, prev, hash);
  }

  // Millisecond precision: that is what the column keeps and what the hash must cover.
  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  /** Sets the time and the text fields from parameter {@code i} on; returns the next index. */
  private static int setEntry(PreparedStatement ps, int first, Instant at, AuditEntry entry)
      throws SQLException {
    int i = first;
    ps.setLong(i++, at.toEpochMilli());
    ps.setString(i++, entry.actor());
    ps.setString(i++, entry.action());
    ps.setString(i++, entry.target());
    ps.setString(i++, entry.source());
    ps.setString(i++, entry.result());
    ps.setString(i++, entry.detail());
    return i;
  }

  // SQLite: its one writer lock orders appenders already, and a file of a schema before audit_head
  // (a backup of an older controller's database) must still take appends, so the chain's end is
  // read from the log itself (in-process, no round trip).
  private static final String LAST_ENTRY =
      "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";

  // PostgreSQL, several controllers on one database, one statement (one round trip) per append:
  // the head row's lock, held to the commit, makes appenders in other processes wait at the UPDATE,
  // and after the wait it returns the head as the one before committed it, so each appender
  // continues the chain where the last one left it. The server hashes the new entry behind that
  // end exactly as AuditChain.hash does (previous hash, seq as 8 bytes big-endian, then the tail
  // the controller encoded). The insert moves the head through a trigger (migration V8), so appends
  // of an older controller during a rolling upgrade move it too. No head row: nothing inserted.
  private static final String APPEND_AT_HEAD =
      "WITH head AS (UPDATE audit_head SET appends = appends + 1 WHERE id = 1 RETURNING seq, hash)"
          + " INSERT INTO audit_log (seq, at, actor, action, target, source, result, detail,"
          + " prev_hash, hash)"
          + " SELECT head.seq + 1, ?, ?, ?, ?, ?, ?, ?, head.hash,"
          + " encode(sha256(decode(head.hash, 'hex') || int8send(head.seq + 1) || ?), 'hex')"
          + " FROM head RETURNING seq, prev_hash, hash";

  private static final String LOCK_HEAD_ROW =
      "UPDATE audit_head SET appends = appends + 1 WHERE id = 1";

  private static final String INSERT =
      "INSERT INTO audit_log (seq, at, actor, action, target, source, result, detail, prev_hash,"
          + " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /**
   * What to look for: each non-null filter must match ({@code actor}, {@code action}, {@code
   * target} exactly; {@code from} inclusive, {@code to} exclusive); {@code before} is the paging
   * cursor (entries with a smaller seq), 0 for the newest.
   */
  public record Query(
      String actor,
      String action,
      String target,
      Instant from,
      Instant to,
      long before,
      int limit) {}

  /** Entries matching {@code q}, newest first. */
  public static List<AuditRecord> search(Connection c, Query q) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT seq, at, actor, action, target, source, result, detail, prev_hash, hash"
                + " FROM audit_log WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.actor() != null) {
      sql.append(" AND actor = ?");
      args.add(q.actor());
    }
    if (q.action() != null) {
      sql.append(" AND action = ?");
      args.add(q.action());
    }
    if (q.target() != null) {
      sql.append(" AND target = ?");
      args.add(q.target());
    }
    if (q.from() != null) {
      sql.append(" AND at >= ?");
      args.add(q.from().toEpochMilli());
    }
    if (q.to() != null) {
      sql.append(" AND at < ?");
      args.add(q.to().toEpochMilli());
    }
    if (q.before() > 0) {
      sql.append(" AND seq < ?");
      args.add(q.before());
    }
    sql.append(" ORDER BY seq DESC LIMIT ?");
    args.add(q.limit());
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rows(rs);
      }
    }
  }

  /** Entries with {@code seq > after}, oldest first, at most {@code limit}. */
  public static List<AuditRecord> page(Connection c, long after, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, at, actor, action, target, source, result, detail, prev_hash, hash"
                + " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?")) {
      ps.setLong(1, after);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        return rows(rs);
      }
    }
  }

  private static List<AuditRecord> rows(ResultSet rs) throws SQLException {
    List<AuditRecord> out = new ArrayList<>();
    while (rs.next()) {
      out.add(
          new AuditRecord(
              rs.getLong(1),
              Instant.ofEpochMilli(rs.getLong(2)),
              new AuditEntry(
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8)),
              rs.getString(9),
              rs.getString(10)));
    }
    return out;
  }
}
