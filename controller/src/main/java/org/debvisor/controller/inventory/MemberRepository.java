package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code controllers}: the controllers that use this database, for `debvisor controllers list`. */
public final class MemberRepository {

  /** Inserts or refreshes {@code member}'s row. */
  public void upsert(Connection c, MemberRow member) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO controllers (id, address, started_at, seen_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET address = excluded.address,"
                + " seen_at = excluded.seen_at")) {
      ps.setString(1, member.id());
      ps.setString(2, member.address());
      Jdbc.setInstant(ps, 3, member.startedAt());
      Jdbc.setInstant(ps, 4, member.seenAt());
      ps.executeUpdate();
    }
  }

  /** Members seen at or after {@code since}, most recently started first. */
  public List<MemberRow> seenSince(Connection c, Instant since) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, address, started_at, seen_at FROM controllers WHERE seen_at >= ?"
                + " ORDER BY started_at DESC, id")) {
      Jdbc.setInstant(ps, 1, since);
      try (ResultSet rs = ps.executeQuery()) {
        List<MemberRow> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new MemberRow(
                  rs.getString(1),
                  rs.getString(2),
                  Jdbc.instant(rs, "started_at"),
                  Jdbc.instant(rs, "seen_at")));
        }
        return out;
      }
    }
  }
}
