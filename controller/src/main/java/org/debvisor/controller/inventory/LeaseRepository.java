package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Leases with fencing tokens in {@code leases}. Every change is a conditional UPDATE, so on
 * PostgreSQL two controllers racing for one lease are ordered by its row lock and exactly one wins.
 * Times come from the caller (the database's clock, so controllers with skewed clocks agree).
 */
public final class LeaseRepository {

  public Optional<LeaseRow> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT name, holder, token, acquired_at, renewed_at, expires_at FROM leases"
                + " WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new LeaseRow(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                Jdbc.instant(rs, "acquired_at"),
                Jdbc.instant(rs, "renewed_at"),
                Jdbc.instant(rs, "expires_at")));
      }
    }
  }

  /**
   * Extends the lease {@code holder} holds with {@code token} by {@code period} from {@code now}.
   *
   * @return false when it expired or another acquisition took it (the caller is no longer leader)
   */
  public boolean renew(
      Connection c, String name, String holder, long token, Instant now, Duration period)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE leases SET renewed_at = ?, expires_at = ?"
                + " WHERE name = ? AND holder = ? AND token = ? AND expires_at > ?")) {
      Jdbc.setInstant(ps, 1, now);
      Jdbc.setInstant(ps, 2, now.plus(period));
      ps.setString(3, name);
      ps.setString(4, holder);
      ps.setLong(5, token);
      Jdbc.setInstant(ps, 6, now);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Takes the lease for {@code holder} when nobody holds it at {@code now}, with the next fencing
   * token (1 for a lease never held).
   *
   * @return the new token, or empty when the lease is held (by anyone, this holder included)
   */
  public Optional<Long> acquire(
      Connection c, String name, String holder, Instant now, Duration period) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE leases SET holder = ?, token = token + 1, acquired_at = ?, renewed_at = ?,"
                + " expires_at = ? WHERE name = ? AND expires_at <= ?")) {
      ps.setString(1, holder);
      Jdbc.setInstant(ps, 2, now);
      Jdbc.setInstant(ps, 3, now);
      Jdbc.setInstant(ps, 4, now.plus(period));
      ps.setString(5, name);
      Jdbc.setInstant(ps, 6, now);
      if (ps.executeUpdate() == 1) {
        return find(c, name).map(LeaseRow::token);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO leases (name, holder, token, acquired_at, renewed_at, expires_at)"
                + " VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
      ps.setString(1, name);
      ps.setString(2, holder);
      Jdbc.setInstant(ps, 3, now);
      Jdbc.setInstant(ps, 4, now);
      Jdbc.setInstant(ps, 5, now.plus(period));
      return ps.executeUpdate() == 1 ? Optional.of(1L) : Optional.empty();
    }
  }

  /**
   * The fencing check, first statement of a coordinated write: true when {@code token} is still the
   * lease's current token. On PostgreSQL it locks the lease row until the transaction ends, so a
   * new acquisition either waits for this write or is seen by it — never both.
   */
  public boolean fenceHolds(Connection c, String name, long token) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE leases SET token = token WHERE name = ? AND token = ?")) {
      ps.setString(1, name);
      ps.setLong(2, token);
      return ps.executeUpdate() == 1;
    }
  }

  /** Ends the lease at once when {@code holder} still holds it with {@code token} (clean stop). */
  public boolean release(Connection c, String name, String holder, long token, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND token = ?")) {
      Jdbc.setInstant(ps, 1, now);
      ps.setString(2, name);
      ps.setString(3, holder);
      ps.setLong(4, token);
      return ps.executeUpdate() == 1;
    }
  }
}
