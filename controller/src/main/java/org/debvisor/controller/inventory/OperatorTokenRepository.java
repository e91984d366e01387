package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** {@code operator_tokens}: the SHA-256 of each controller's operator token, never the token. */
public final class OperatorTokenRepository {

  /** Stores (or replaces, after a rotation) the hash of {@code controllerId}'s token. */
  public void store(Connection c, String controllerId, String tokenSha256, Instant at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO operator_tokens (controller_id, token_sha256, stored_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (controller_id) DO UPDATE SET token_sha256 = excluded.token_sha256,"
                + " stored_at = excluded.stored_at")) {
      ps.setString(1, controllerId);
      ps.setString(2, tokenSha256);
      Jdbc.setInstant(ps, 3, at);
      ps.executeUpdate();
    }
  }

  /** True when some controller of this database stored a token with this hash. */
  public boolean known(Connection c, String tokenSha256) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM operator_tokens WHERE token_sha256 = ?")) {
      ps.setString(1, tokenSha256);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
