package org.debvisor.controller.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.debvisor.common.digest.Sha256;
import org.debvisor.proto.NodeRecord;

/**
 * Sorting and cursor paging of a node list. A cursor carries the offset and a digest of the query
 * it came from (selector and sort), so a cursor used with another query is refused, not misread.
 */
final class NodePage {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1_000;

  private static final Map<String, Comparator<NodeRecord>> SORTS =
      Map.of(
          "hostname", Comparator.comparing(NodeRecord::getHostname),
          "id", Comparator.comparing(NodeRecord::getNodeId),
          "cluster", Comparator.comparing(NodeRecord::getCluster),
          "profile", Comparator.comparing(NodeRecord::getProfile),
          "last_seen", Comparator.comparing(n -> n.getLastSeen().getSeconds()));

  /** One page and the cursor of the next ("" on the last page). */
  record Page(List<NodeRecord> nodes, int total, String next) {}

  private NodePage() {}

  static Page of(
      List<NodeRecord> all, String selector, String sort, String limitText, String cursor) {
    boolean descending = sort.startsWith("-");
    String key = descending ? sort.substring(1) : sort;
    Comparator<NodeRecord> order = SORTS.get(key);
    if (order == null) {
      throw ApiProblem.badRequest(
          "sort",
          "must be one of "
              + String.join(", ", SORTS.keySet().stream().sorted().toList())
              + " (prefix - for descending)");
    }
    int limit;
    try {
      limit = Integer.parseInt(limitText);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiProblem.badRequest("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }
    String query = Sha256.hex(selector + "\n" + sort).substring(0, 16);
    int offset = cursor.isEmpty() ? 0 : offset(cursor, query);
    // The id breaks ties so pages never overlap or skip nodes with equal keys.
    Comparator<NodeRecord> full =
        (descending ? order.reversed() : order).thenComparing(NodeRecord::getNodeId);
    List<NodeRecord> sorted = all.stream().sorted(full).toList();
    int end = Math.min(sorted.size(), offset + limit);
    List<NodeRecord> page = offset >= sorted.size() ? List.of() : sorted.subList(offset, end);
    String next = end < sorted.size() ? encode(query, end) : "";
    return new Page(page, sorted.size(), next);
  }

  private static String encode(String query, int offset) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((query + ":" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int offset(String cursor, String query) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("cursor", "is not a cursor this API returned");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw ApiProblem.badRequest("cursor", "is not a cursor this API returned");
    }
    if (!text.substring(0, colon).equals(query)) {
      throw ApiProblem.badRequest(
          "cursor", "belongs to another query (selector or sort differ); start without a cursor");
    }
    try {
      int offset = Integer.parseInt(text.substring(colon + 1));
      if (offset < 0) {
        throw new NumberFormatException();
      }
      return offset;
    } catch (NumberFormatException e) {
      throw ApiProblem.badRequest("cursor", "is not a cursor this API returned");
    }
  }
}
