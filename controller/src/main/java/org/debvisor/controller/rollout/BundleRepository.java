package org.debvisor.controller.rollout;

import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.debvisor.proto.ConfigBundle;

/**
 * Every bundle the controller rolled out, by version: a rollback re-sends the version a node had
 * before. A version is bound to its content for good.
 */
final class BundleRepository {

  /**
   * Stores the bundle unless its version is stored already with the same content.
   *
   * @throws RolloutRefusedException when the version is stored with other content
   */
  void store(Connection c, ConfigBundle bundle, Instant now) throws SQLException {
    byte[] bytes = bundle.toByteArray();
    String sha = sha256(bytes);
    try (PreparedStatement ps =
        c.prepareStatement("SELECT sha256 FROM config_bundles WHERE version = ?")) {
      ps.setString(1, bundle.getVersion());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          if (!rs.getString(1).equals(sha)) {
            throw RolloutRefusedException.invalid(
                "bundle.version",
                "'"
                    + bundle.getVersion()
                    + "' was rolled out before with other content; give the changed bundle a new"
                    + " version");
          }
          return;
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO config_bundles (version, bundle, sha256, stored_at) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, bundle.getVersion());
      ps.setBytes(2, bytes);
      ps.setString(3, sha);
      ps.setLong(4, now.toEpochMilli());
      ps.executeUpdate();
    }
  }

  Optional<ConfigBundle> find(Connection c, String version) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT bundle FROM config_bundles WHERE version = ?")) {
      ps.setString(1, version);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(ConfigBundle.parseFrom(rs.getBytes(1)));
      }
    } catch (InvalidProtocolBufferException e) {
      throw new SQLException("stored bundle " + version + " is corrupt: " + e.getMessage(), e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
