package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL about nodes. Methods take the connection of the caller's transaction. */
public final class NodeRepository {

  /** The columns {@link #row} reads, for queries that name them (joins). */
  static final List<String> COLUMN_NAMES =
      List.of(
          "id",
          "hostname",
          "profile",
          "cluster",
          "arch",
          "agent_address",
          "agent_version",
          "state",
          "enrolled_at",
          "last_seen",
          "cert_serial",
          "cert_not_after",
          "last_status",
          "facts",
          "facts_fingerprint",
          "revoked_at",
          "revoked_reason");

  private static final String COLUMNS = String.join(", ", COLUMN_NAMES);

  /** The node with this id. */
  public Optional<NodeRow> find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM nodes WHERE id = ?")) {
      ps.setString(1, id);
      List<NodeRow> rows = rows(ps);
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
  }

  /** Nodes with this hostname (usually one; re-installed machines may leave an old record). */
  public List<NodeRow> findByHostname(Connection c, String hostname) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM nodes WHERE hostname = ? ORDER BY id")) {
      ps.setString(1, hostname);
      return rows(ps);
    }
  }

  /**
   * The nodes not revoked whose agent address has this host ({@link AgentHost#canonical}), through
   * the index on {@code agent_host}: an enrolment's address check must not read the whole fleet.
   */
  public List<NodeRow> findActiveByAgentHost(Connection c, String canonicalHost)
      throws SQLException {
    if (canonicalHost.isEmpty()) {
      return List.of(); // nodes without an address, not holders of one
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM nodes WHERE agent_host = ? AND state <> 'REVOKED' ORDER BY id")) {
      ps.setString(1, canonicalHost);
      return rows(ps);
    }
  }

  /** Every node, ordered by hostname then id. */
  public List<NodeRow> all(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM nodes ORDER BY hostname, id")) {
      return rows(ps);
    }
  }

  /** Active (not revoked) nodes per cluster; clusters without any are absent. */
  public java.util.Map<String, Long> countActiveByCluster(Connection c) throws SQLException {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT cluster, COUNT(*) FROM nodes WHERE state = 'ACTIVE' GROUP BY cluster")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counts.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return counts;
  }

  /** Records a newly enrolled node, or re-enrols an existing active one (fresh certificate). */
  public void upsertEnrolment(Connection c, NodeRow node) throws SQLException {
    upsertEnrolment(c, find(c, node.id()).isPresent(), node);
  }

  /**
   * Like {@link #upsertEnrolment(Connection, NodeRow)} for a caller that read the node's row in
   * this transaction already: {@code exists} says whether there was one.
   */
  public void upsertEnrolment(Connection c, boolean exists, NodeRow node) throws SQLException {
    String sql =
        exists
            ? "UPDATE nodes SET hostname = ?, profile = ?, arch = ?, agent_address = ?,"
                + " agent_version = ?, state = ?, enrolled_at = ?, last_seen = ?, cert_serial = ?,"
                + " cert_not_after = ?, last_status = ?, facts = ?, facts_fingerprint = ?,"
                + " revoked_at = ?, revoked_reason = ?, cluster = ?, agent_host = ? WHERE id = ?"
            : "INSERT INTO nodes (hostname, profile, arch, agent_address, agent_version, state,"
                + " enrolled_at, last_seen, cert_serial, cert_not_after, last_status, facts,"
                + " facts_fingerprint, revoked_at, revoked_reason, cluster, agent_host, id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, node.hostname());
      ps.setString(2, node.profile());
      ps.setString(3, node.arch());
      ps.setString(4, node.agentAddress());
      ps.setString(5, node.agentVersion());
      ps.setString(6, node.state().name());
      Jdbc.setInstant(ps, 7, node.enrolledAt());
      Jdbc.setInstant(ps, 8, node.lastSeen());
      ps.setString(9, node.certSerial());
      Jdbc.setInstant(ps, 10, node.certNotAfter());
      ps.setBytes(11, node.lastStatus());
      ps.setBytes(12, node.facts());
      ps.setString(13, node.factsFingerprint());
      Jdbc.setInstant(ps, 14, node.revokedAt());
      ps.setString(15, node.revokedReason());
      ps.setString(16, node.cluster());
      ps.setString(17, AgentHost.ofAddress(node.agentAddress()));
      ps.setString(18, node.id());
      ps.executeUpdate();
    }
  }

  /** Stores a heartbeat: time, status, the agent address, and the facts when sent. */
  public void recordHeartbeat(
      Connection c,
      String id,
      Instant seen,
      byte[] status,
      String agentAddress,
      byte[] facts,
      String factsFingerprint)
      throws SQLException {
    StringBuilder sql = new StringBuilder("UPDATE nodes SET last_seen = ?, last_status = ?");
    if (!agentAddress.isEmpty()) {
      sql.append(", agent_address = ?, agent_host = ?");
    }
    if (facts != null) {
      sql.append(", facts = ?, facts_fingerprint = ?");
    }
    sql.append(" WHERE id = ?");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      Jdbc.setInstant(ps, i++, seen);
      ps.setBytes(i++, status);
      if (!agentAddress.isEmpty()) {
        ps.setString(i++, agentAddress);
        ps.setString(i++, AgentHost.ofAddress(agentAddress));
      }
      if (facts != null) {
        ps.setBytes(i++, facts);
        ps.setString(i++, factsFingerprint);
      }
      ps.setString(i, id);
      ps.executeUpdate();
    }
  }

  /** Points the node at its newest certificate. */
  public void updateCertificate(Connection c, String id, String serial, Instant notAfter)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE nodes SET cert_serial = ?, cert_not_after = ? WHERE id = ?")) {
      ps.setString(1, serial);
      Jdbc.setInstant(ps, 2, notAfter);
      ps.setString(3, id);
      ps.executeUpdate();
    }
  }

  /** Marks the node revoked. */
  public void revoke(Connection c, String id, Instant at, String reason) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE nodes SET state = 'REVOKED', revoked_at = ?, revoked_reason = ? WHERE id = ?")) {
      Jdbc.setInstant(ps, 1, at);
      ps.setString(2, reason);
      ps.setString(3, id);
      ps.executeUpdate();
    }
  }

  private static List<NodeRow> rows(PreparedStatement ps) throws SQLException {
    List<NodeRow> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row(rs, ""));
      }
    }
    return out;
  }

  /** The node of the current row, its columns labelled {@code prefix + name}. */
  static NodeRow row(ResultSet rs, String prefix) throws SQLException {
    return new NodeRow(
        rs.getString(prefix + "id"),
        rs.getString(prefix + "hostname"),
        rs.getString(prefix + "profile"),
        rs.getString(prefix + "cluster"),
        rs.getString(prefix + "arch"),
        rs.getString(prefix + "agent_address"),
        rs.getString(prefix + "agent_version"),
        NodeState.valueOf(rs.getString(prefix + "state")),
        Jdbc.instant(rs, prefix + "enrolled_at"),
        Jdbc.instant(rs, prefix + "last_seen"),
        rs.getString(prefix + "cert_serial"),
        Jdbc.instant(rs, prefix + "cert_not_after"),
        rs.getBytes(prefix + "last_status"),
        rs.getBytes(prefix + "facts"),
        rs.getString(prefix + "facts_fingerprint"),
        Jdbc.instant(rs, prefix + "revoked_at"),
        rs.getString(prefix + "revoked_reason"));
  }
}
