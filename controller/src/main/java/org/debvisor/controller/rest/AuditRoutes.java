package org.debvisor.controller.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.identity.Role;
import org.debvisor.controller.inventory.Database;

/**
 * {@code /api/v1/audit}: the audit log newest first, filtered by actor, action, target and time,
 * paged by sequence number, and the hash chain's verification (as `debvisor audit verify`).
 */
final class AuditRoutes {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 500;

  private final Database db;

  AuditRoutes(Database db) {
    this.db = db;
  }

  List<ApiRoute> routes() {
    return List.of(
        new ApiRoute(
            HttpMethod.GET,
            "/api/v1/audit",
            Role.OPERATOR,
            "Audit entries newest first; ?actor= ?action= ?target= ?from= ?to= (ISO-8601)"
                + " ?limit= ?cursor=",
            this::list),
        new ApiRoute(
            HttpMethod.GET,
            "/api/v1/audit/verify",
            Role.OPERATOR,
            "Check the audit log's hash chain",
            this::verify));
  }

  /** The newest {@code limit} entries about {@code target} (a node's trail). */
  ArrayNode trail(String target, int limit) {
    ArrayNode out = JsonBodies.MAPPER.createArrayNode();
    db.read(c -> AuditLog.search(c, new AuditLog.Query(null, null, target, null, null, 0, limit)))
        .forEach(r -> out.add(json(r)));
    return out;
  }

  private ApiAnswer list(ApiCall call) {
    int limit = limit(call.query("limit", Integer.toString(DEFAULT_LIMIT)));
    long before = cursor(call.query("cursor", ""));
    AuditLog.Query query =
        new AuditLog.Query(
            blankToNull(call.query("actor", "")),
            blankToNull(call.query("action", "")),
            blankToNull(call.query("target", "")),
            instant("from", call.query("from", "")),
            instant("to", call.query("to", "")),
            before,
            limit);
    List<AuditRecord> rows = db.read(c -> AuditLog.search(c, query));
    ObjectNode out = JsonBodies.object();
    ArrayNode entries = out.putArray("entries");
    rows.forEach(r -> entries.add(json(r)));
    // A full page may have more behind it; the cursor is the last seq shown.
    out.put("next_cursor", rows.size() == limit ? Long.toString(rows.getLast().seq()) : "");
    return ApiAnswer.ok(out.toString());
  }

  private ApiAnswer verify(ApiCall call) {
    AuditVerifier.Result result = db.read(c -> new AuditVerifier().verify(c));
    ObjectNode out =
        JsonBodies.object().put("intact", result.intact()).put("checked", result.checked());
    if (!result.intact()) {
      out.put("broken_seq", result.brokenSeq()).put("problem", result.problem());
    }
    return ApiAnswer.ok(out.toString());
  }

  private static ObjectNode json(AuditRecord r) {
    return JsonBodies.object()
        .put("seq", r.seq())
        .put("at", r.at().toString())
        .put("actor", r.entry().actor())
        .put("action", r.entry().action())
        .put("target", r.entry().target())
        .put("source", r.entry().source())
        .put("result", r.entry().result())
        .put("detail", r.entry().detail())
        .put("hash", r.hash());
  }

  private static String blankToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static Instant instant(String field, String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiProblem.badRequest(field, "must be an ISO-8601 instant like 2026-12-01T00:00:00Z");
    }
  }

  private static int limit(String text) {
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiProblem.badRequest("limit", "must be a whole number from 1 to " + MAX_LIMIT);
  }

  private static long cursor(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    try {
      long seq = Long.parseLong(text);
      if (seq > 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiProblem.badRequest("cursor", "is not a cursor this API returned");
  }
}
