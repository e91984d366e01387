package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Fills {@code nodes.agent_host} for rows from before that column existed (migration 6.1). Runs
 * each time a controller opens the database; finds nothing to do after the first time.
 */
final class AgentHostBackfill {

  private AgentHostBackfill() {}

  /** Returns how many rows it filled in. */
  static int run(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<String, String> hosts = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT id, agent_address FROM nodes WHERE agent_host = ''"
                        + " AND agent_address <> ''");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            hosts.put(rs.getString(1), AgentHost.ofAddress(rs.getString(2)));
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement("UPDATE nodes SET agent_host = ? WHERE id = ?")) {
          for (Map.Entry<String, String> e : hosts.entrySet()) {
            ps.setString(1, e.getValue());
            ps.setString(2, e.getKey());
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
        return hosts.size();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
