package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL about bootstrap tokens. */
public final class TokenRepository {

  /** Stores a new token (its secret's hash only). */
  public void insert(Connection c, TokenRow token) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO bootstrap_tokens (id, secret_sha256, created_at, expires_at, hostname,"
                + " profile, cluster, created_by, used_at, used_by_node, node_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, token.id());
      ps.setString(2, token.secretSha256());
      Jdbc.setInstant(ps, 3, token.createdAt());
      Jdbc.setInstant(ps, 4, token.expiresAt());
      ps.setString(5, token.hostname());
      ps.setString(6, token.profile());
      ps.setString(7, token.cluster());
      ps.setString(8, token.createdBy());
      Jdbc.setInstant(ps, 9, token.usedAt());
      ps.setString(10, token.usedByNode());
      ps.setString(11, token.nodeId());
      ps.executeUpdate();
    }
  }

  /** The token with this id. */
  public Optional<TokenRow> find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM bootstrap_tokens WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(row(rs));
      }
    }
  }

  /** The newest {@code limit} tokens, newest first. */
  public List<TokenRow> newest(Connection c, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT * FROM bootstrap_tokens ORDER BY created_at DESC, id DESC LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<TokenRow> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row(rs));
        }
        return out;
      }
    }
  }

  /**
   * Ends an unused, unexpired token now by moving its expiry to {@code at}, so enrolment refuses it
   * as it refuses any expired token; false when it was used or had expired already.
   */
  public boolean revoke(Connection c, String id, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bootstrap_tokens SET expires_at = ?"
                + " WHERE id = ? AND used_at IS NULL AND expires_at > ?")) {
      Jdbc.setInstant(ps, 1, at);
      ps.setString(2, id);
      Jdbc.setInstant(ps, 3, at);
      return ps.executeUpdate() == 1;
    }
  }

  /** The columns {@link #row} reads, for queries that name them (joins). */
  static final List<String> COLUMNS =
      List.of(
          "id",
          "secret_sha256",
          "created_at",
          "expires_at",
          "hostname",
          "profile",
          "cluster",
          "created_by",
          "used_at",
          "used_by_node",
          "node_id");

  private static TokenRow row(ResultSet rs) throws SQLException {
    return row(rs, "");
  }

  /** The token of the current row, its columns labelled {@code prefix + name}. */
  static TokenRow row(ResultSet rs, String prefix) throws SQLException {
    return new TokenRow(
        rs.getString(prefix + "id"),
        rs.getString(prefix + "secret_sha256"),
        Jdbc.instant(rs, prefix + "created_at"),
        Jdbc.instant(rs, prefix + "expires_at"),
        rs.getString(prefix + "hostname"),
        rs.getString(prefix + "profile"),
        rs.getString(prefix + "cluster"),
        rs.getString(prefix + "created_by"),
        Jdbc.instant(rs, prefix + "used_at"),
        rs.getString(prefix + "used_by_node"),
        rs.getString(prefix + "node_id"));
  }

  /**
   * Consumes the token for {@code nodeId}; false when it was already used (the condition in the
   * UPDATE makes this safe even against a concurrent writer).
   */
  public boolean consume(Connection c, String id, Instant at, String nodeId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bootstrap_tokens SET used_at = ?, used_by_node = ?"
                + " WHERE id = ? AND used_at IS NULL")) {
      Jdbc.setInstant(ps, 1, at);
      ps.setString(2, nodeId);
      ps.setString(3, id);
      return ps.executeUpdate() == 1;
    }
  }
}
