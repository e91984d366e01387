package org.debvisor.controller.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All SQL about rollouts and their nodes. Methods take the connection of the caller's transaction.
 */
final class RolloutRepository {

  private static final String COLUMNS =
      "id, name, cluster, state, selector, bundle_version, canary, waves, max_unavailable,"
          + " max_failures, gate_window_ms, approve_after_canary, current_wave, gate_until, reason,"
          + " tripping_node, created_by, created_at, updated_at, finished_at";

  private static final String NODE_COLUMNS =
      "rollout_id, node_id, hostname, wave, position, state, previous_version, health_before,"
          + " change_seq, attempts, reason, updated_at";

  void insert(Connection c, Rollout r, List<PlannedNode> plan) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO rollouts ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.id());
      ps.setString(2, r.name());
      ps.setString(3, r.cluster());
      ps.setString(4, r.state().name());
      ps.setString(5, r.selector());
      ps.setString(6, r.bundleVersion());
      ps.setInt(7, r.canary());
      ps.setString(8, r.waves().toString());
      ps.setInt(9, r.maxUnavailable());
      ps.setInt(10, r.maxFailures());
      ps.setLong(11, r.gateWindow().toMillis());
      ps.setInt(12, r.approveAfterCanary() ? 1 : 0);
      ps.setInt(13, r.currentWave());
      setInstant(ps, 14, r.gateUntil());
      ps.setString(15, r.reason());
      ps.setString(16, r.trippingNode());
      ps.setString(17, r.createdBy());
      setInstant(ps, 18, r.createdAt());
      setInstant(ps, 19, r.updatedAt());
      setInstant(ps, 20, r.finishedAt());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO rollout_nodes (rollout_id, node_id, hostname, wave, position, state,"
                + " previous_version, updated_at) VALUES (?, ?, ?, ?, ?, 'PENDING', ?, ?)")) {
      for (PlannedNode n : plan) {
        ps.setString(1, r.id());
        ps.setString(2, n.nodeId());
        ps.setString(3, n.hostname());
        ps.setInt(4, n.wave());
        ps.setInt(5, n.position());
        ps.setString(6, n.previousVersion());
        setInstant(ps, 7, r.createdAt());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  Optional<Rollout> find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM rollouts WHERE id = ?")) {
      ps.setString(1, id);
      List<Rollout> rows = rollouts(ps);
      return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }
  }

  /** Newest first, at most {@code limit}. */
  List<Rollout> list(Connection c, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM rollouts ORDER BY created_at DESC, id LIMIT ?")) {
      ps.setInt(1, limit);
      return rollouts(ps);
    }
  }

  /** Rollouts a runner must drive (or wait in). */
  List<Rollout> unfinished(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM rollouts WHERE state NOT IN ('SUCCEEDED', 'ROLLED_BACK', 'ABORTED')"
                + " ORDER BY created_at")) {
      return rollouts(ps);
    }
  }

  /**
   * Nodes among {@code nodeIds} that belong to an unfinished rollout: node id → rollout id and
   * name.
   */
  Map<String, String> busyNodes(Connection c, Collection<String> nodeIds) throws SQLException {
    Map<String, String> busy = new java.util.TreeMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT n.node_id, n.hostname, r.id, r.name, r.state FROM rollout_nodes n"
                    + " JOIN rollouts r ON r.id = n.rollout_id"
                    + " WHERE r.state NOT IN ('SUCCEEDED', 'ROLLED_BACK', 'ABORTED')");
        ResultSet rs = ps.executeQuery()) {
      java.util.Set<String> wanted = new java.util.HashSet<>(nodeIds);
      while (rs.next()) {
        if (wanted.contains(rs.getString(1))) {
          busy.put(
              rs.getString(2),
              rs.getString(3) + " (" + rs.getString(4) + ", " + rs.getString(5) + ")");
        }
      }
    }
    return busy;
  }

  /**
   * Moves the rollout from {@code from} to {@code to} and sets the given fields; false (nothing
   * written) when it is no longer in {@code from}.
   */
  boolean transition(
      Connection c,
      String id,
      RolloutState from,
      RolloutState to,
      int currentWave,
      Instant gateUntil,
      String reason,
      String trippingNode,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE rollouts SET state = ?, current_wave = ?, gate_until = ?, reason = ?,"
                + " tripping_node = ?, updated_at = ?, finished_at = ? WHERE id = ? AND state = ?")) {
      ps.setString(1, to.name());
      ps.setInt(2, currentWave);
      setInstant(ps, 3, gateUntil);
      ps.setString(4, reason);
      ps.setString(5, trippingNode);
      setInstant(ps, 6, now);
      setInstant(ps, 7, to.terminal() ? now : null);
      ps.setString(8, id);
      ps.setString(9, from.name());
      return ps.executeUpdate() == 1;
    }
  }

  List<RolloutNode> nodes(Connection c, String rolloutId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + NODE_COLUMNS
                + " FROM rollout_nodes WHERE rollout_id = ? ORDER BY position")) {
      ps.setString(1, rolloutId);
      return nodeRows(ps);
    }
  }

  Map<NodeRolloutState, Integer> counts(Connection c, String rolloutId) throws SQLException {
    Map<NodeRolloutState, Integer> counts = new EnumMap<>(NodeRolloutState.class);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state, COUNT(*) FROM rollout_nodes WHERE rollout_id = ? GROUP BY state")) {
      ps.setString(1, rolloutId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counts.put(NodeRolloutState.valueOf(rs.getString(1)), rs.getInt(2));
        }
      }
    }
    return counts;
  }

  long nextChangeSeq(Connection c, String rolloutId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT MAX(change_seq) FROM rollout_nodes WHERE rollout_id = ?")) {
      ps.setString(1, rolloutId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) + 1 : 1;
      }
    }
  }

  /** Records that UpdateConfig is about to be sent to the node (its health before, the order). */
  void markUpdating(Connection c, String rolloutId, String nodeId, int healthBefore, Instant now)
      throws SQLException {
    long seq = nextChangeSeq(c, rolloutId);
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE rollout_nodes SET state = 'UPDATING', health_before = ?, change_seq = ?,"
                + " attempts = attempts + 1, updated_at = ? WHERE rollout_id = ? AND node_id = ?")) {
      ps.setInt(1, healthBefore);
      ps.setLong(2, seq);
      setInstant(ps, 3, now);
      ps.setString(4, rolloutId);
      ps.setString(5, nodeId);
      ps.executeUpdate();
    }
  }

  void setNodeState(
      Connection c,
      String rolloutId,
      String nodeId,
      NodeRolloutState state,
      String reason,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE rollout_nodes SET state = ?, reason = ?, updated_at = ?"
                + " WHERE rollout_id = ? AND node_id = ?")) {
      ps.setString(1, state.name());
      ps.setString(2, reason);
      setInstant(ps, 3, now);
      ps.setString(4, rolloutId);
      ps.setString(5, nodeId);
      ps.executeUpdate();
    }
  }

  private static List<Rollout> rollouts(PreparedStatement ps) throws SQLException {
    List<Rollout> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Rollout(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("cluster"),
                RolloutState.valueOf(rs.getString("state")),
                rs.getString("selector"),
                rs.getString("bundle_version"),
                rs.getInt("canary"),
                WavePlan.parse(rs.getString("waves")),
                rs.getInt("max_unavailable"),
                rs.getInt("max_failures"),
                Duration.ofMillis(rs.getLong("gate_window_ms")),
                rs.getInt("approve_after_canary") != 0,
                rs.getInt("current_wave"),
                instant(rs, "gate_until"),
                rs.getString("reason"),
                rs.getString("tripping_node"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "finished_at")));
      }
    }
    return out;
  }

  private static List<RolloutNode> nodeRows(PreparedStatement ps) throws SQLException {
    List<RolloutNode> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new RolloutNode(
                rs.getString("rollout_id"),
                rs.getString("node_id"),
                rs.getString("hostname"),
                rs.getInt("wave"),
                rs.getInt("position"),
                NodeRolloutState.valueOf(rs.getString("state")),
                rs.getString("previous_version"),
                rs.getInt("health_before"),
                rs.getLong("change_seq"),
                rs.getInt("attempts"),
                rs.getString("reason"),
                instant(rs, "updated_at")));
      }
    }
    return out;
  }

  private static void setInstant(PreparedStatement ps, int index, Instant value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, java.sql.Types.BIGINT);
    } else {
      ps.setLong(index, value.toEpochMilli());
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(value);
  }
}
