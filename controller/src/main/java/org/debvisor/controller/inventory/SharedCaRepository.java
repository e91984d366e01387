package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The one row of {@code shared_ca}: the CA all controllers on this database sign with. */
public final class SharedCaRepository {

  /** The stored CA, if a controller stored one. */
  public Optional<StoredCa> find(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT certificate_pem, encrypted_key_pem, created_at FROM shared_ca WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new StoredCa(rs.getString(1), rs.getString(2), Jdbc.instant(rs, "created_at")));
    }
  }

  /**
   * Stores {@code ca} unless a CA is stored already (two controllers starting together: the first
   * commit wins).
   *
   * @return false when another CA was there first; read it with {@link #find}
   */
  public boolean insertIfAbsent(Connection c, StoredCa ca) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO shared_ca (id, certificate_pem, encrypted_key_pem, created_at)"
                + " VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
      ps.setString(1, ca.certificatePem());
      ps.setString(2, ca.encryptedKeyPem());
      Jdbc.setInstant(ps, 3, ca.createdAt());
      return ps.executeUpdate() == 1;
    }
  }
}
