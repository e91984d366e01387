package org.debvisor.controller.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** All SQL of the {@code sessions} table. */
public final class SessionRepository {

  public void insert(Connection c, SessionRow s) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO sessions (id_hash, user_name, csrf_token, created_at, last_seen, source)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, s.idHash());
      ps.setString(2, s.userName());
      ps.setString(3, s.csrfToken());
      ps.setLong(4, s.createdAt().toEpochMilli());
      ps.setLong(5, s.lastSeen().toEpochMilli());
      ps.setString(6, s.source());
      ps.executeUpdate();
    }
  }

  public Optional<SessionRow> find(Connection c, String idHash) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id_hash, user_name, csrf_token, created_at, last_seen, source FROM sessions"
                + " WHERE id_hash = ?")) {
      ps.setString(1, idHash);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new SessionRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)),
                Instant.ofEpochMilli(rs.getLong(5)),
                rs.getString(6)));
      }
    }
  }

  public void touch(Connection c, String idHash, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE sessions SET last_seen = ? WHERE id_hash = ?")) {
      ps.setLong(1, at.toEpochMilli());
      ps.setString(2, idHash);
      ps.executeUpdate();
    }
  }

  public boolean delete(Connection c, String idHash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE id_hash = ?")) {
      ps.setString(1, idHash);
      return ps.executeUpdate() == 1;
    }
  }

  /** Ends every session of {@code user} (password change); returns how many. */
  public int deleteAllOf(Connection c, String user) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE user_name = ?")) {
      ps.setString(1, user);
      return ps.executeUpdate();
    }
  }
}
