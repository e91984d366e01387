package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL about install progress reports. */
public final class InstallProgressRepository {

  /** Stores the row, replacing the one of the same token. */
  public void save(Connection c, InstallProgressRow row) throws SQLException {
    boolean exists = find(c, row.tokenId()).isPresent();
    String sql =
        exists
            ? "UPDATE install_progress SET hostname = ?, arch = ?, cluster = ?, profile = ?,"
                + " phase = ?, message = ?, source = ?, started_at = ?, updated_at = ?,"
                + " reports = ? WHERE token_id = ?"
            : "INSERT INTO install_progress (hostname, arch, cluster, profile, phase, message,"
                + " source, started_at, updated_at, reports, token_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, row.hostname());
      ps.setString(2, row.arch());
      ps.setString(3, row.cluster());
      ps.setString(4, row.profile());
      ps.setString(5, row.phase());
      ps.setString(6, row.message());
      ps.setString(7, row.source());
      Jdbc.setInstant(ps, 8, row.startedAt());
      Jdbc.setInstant(ps, 9, row.updatedAt());
      ps.setInt(10, row.reports());
      ps.setString(11, row.tokenId());
      ps.executeUpdate();
    }
  }

  public Optional<InstallProgressRow> find(Connection c, String tokenId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT * FROM install_progress WHERE token_id = ?")) {
      ps.setString(1, tokenId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Installs whose token no node has used yet, oldest first: once the installed machine's agent
   * enrols with the token, the machine is a node and its install is history.
   */
  public List<InstallProgressRow> notEnrolled(Connection c) throws SQLException {
    List<InstallProgressRow> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT p.* FROM install_progress p JOIN bootstrap_tokens t ON t.id = p.token_id"
                    + " WHERE t.used_at IS NULL ORDER BY p.started_at, p.token_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row(rs));
      }
    }
    return out;
  }

  private static InstallProgressRow row(ResultSet rs) throws SQLException {
    return new InstallProgressRow(
        rs.getString("token_id"),
        rs.getString("hostname"),
        rs.getString("arch"),
        rs.getString("cluster"),
        rs.getString("profile"),
        rs.getString("phase"),
        rs.getString("message"),
        rs.getString("source"),
        Jdbc.instant(rs, "started_at"),
        Jdbc.instant(rs, "updated_at"),
        rs.getInt("reports"));
  }
}
