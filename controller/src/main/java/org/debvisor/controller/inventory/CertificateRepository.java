package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** All SQL about the certificates issued to nodes. */
public final class CertificateRepository {

  /** Records an issued certificate. */
  public void insert(Connection c, CertificateRow row) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO certificates (serial, node_id, issued_at, not_after, revoked_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, row.serial());
      ps.setString(2, row.nodeId());
      Jdbc.setInstant(ps, 3, row.issuedAt());
      Jdbc.setInstant(ps, 4, row.notAfter());
      Jdbc.setInstant(ps, 5, row.revokedAt());
      ps.executeUpdate();
    }
  }

  /** The certificate with this hex serial. */
  public Optional<CertificateRow> find(Connection c, String serial) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM certificates WHERE serial = ?")) {
      ps.setString(1, serial);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new CertificateRow(
                rs.getString("serial"),
                rs.getString("node_id"),
                Jdbc.instant(rs, "issued_at"),
                Jdbc.instant(rs, "not_after"),
                Jdbc.instant(rs, "revoked_at")));
      }
    }
  }

  /** Revokes every certificate of the node that is not revoked yet. */
  public int revokeAllOf(Connection c, String nodeId, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE certificates SET revoked_at = ? WHERE node_id = ? AND revoked_at IS NULL")) {
      Jdbc.setInstant(ps, 1, at);
      ps.setString(2, nodeId);
      return ps.executeUpdate();
    }
  }
}
