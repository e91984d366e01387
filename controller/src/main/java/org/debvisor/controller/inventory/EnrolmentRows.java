package org.debvisor.controller.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The two rows an enrolment decides on, the presented token's and the node id's, read in one
 * statement: on PostgreSQL every statement is a round trip, and enrolment is the write a fleet
 * powering up sends by the hundreds per second. Either row may be missing.
 */
public final class EnrolmentRows {

  /** What was found. */
  public record Found(Optional<TokenRow> token, Optional<NodeRow> node) {}

  private static final String TOKEN = "t_";
  private static final String NODE = "n_";

  // One row always: the one-row table on the left keeps it when neither id matches.
  private static final String QUERY =
      "SELECT "
          + labelled("t", TOKEN, TokenRepository.COLUMNS)
          + ", "
          + labelled("n", NODE, NodeRepository.COLUMN_NAMES)
          + " FROM (SELECT 1 AS one) AS k"
          + " LEFT JOIN bootstrap_tokens t ON t.id = ?"
          + " LEFT JOIN nodes n ON n.id = ?";

  /** The token with id {@code tokenId} and the node with id {@code nodeId}. */
  public Found find(Connection c, String tokenId, String nodeId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(QUERY)) {
      ps.setString(1, tokenId);
      ps.setString(2, nodeId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the enrolment lookup returned no row");
        }
        // The ids are primary keys, never NULL in a stored row.
        Optional<TokenRow> token =
            rs.getString(TOKEN + "id") == null
                ? Optional.empty()
                : Optional.of(TokenRepository.row(rs, TOKEN));
        Optional<NodeRow> node =
            rs.getString(NODE + "id") == null
                ? Optional.empty()
                : Optional.of(NodeRepository.row(rs, NODE));
        return new Found(token, node);
      }
    }
  }

  private static String labelled(String table, String prefix, List<String> columns) {
    return columns.stream()
        .map(column -> table + "." + column + " AS " + prefix + column)
        .collect(Collectors.joining(", "));
  }
}
