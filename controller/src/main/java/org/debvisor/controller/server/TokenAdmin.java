package org.debvisor.controller.server;

import io.grpc.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.debvisor.common.violation.BadRequests;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.TokenRepository;
import org.debvisor.controller.inventory.TokenRow;
import org.debvisor.controller.rest.Actor;

/** Lists bootstrap tokens and revokes unused ones (creation stays in {@link Fleet}). */
final class TokenAdmin {

  /** How many tokens a listing shows: tokens are short-lived, older ones are history. */
  static final int LIST_LIMIT = 1_000;

  private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");

  private final Database db;
  private final AuditLog audit;
  private final Clock clock;
  private final TokenRepository tokens = new TokenRepository();

  TokenAdmin(Database db, AuditLog audit, Clock clock) {
    this.db = db;
    this.audit = audit;
    this.clock = clock;
  }

  List<TokenRow> list() {
    return db.read(c -> tokens.newest(c, LIST_LIMIT));
  }

  /** Ends token {@code id} now; refuses an unknown, used or expired one and changes nothing. */
  TokenRow revoke(String id, Actor actor) {
    if (!ID.matcher(id).matches()) {
      throw BadRequests.invalidArgument(
          "id", "must be a token id: 16 hex digits (the part after dvb_)");
    }
    Instant now = clock.instant();
    return db.write(
        c -> {
          TokenRow token =
              tokens
                  .find(c, id)
                  .orElseThrow(
                      () ->
                          Errors.notFound("no bootstrap token " + id + "; see GET /api/v1/tokens"));
          if (token.usedAt() != null) {
            throw Status.FAILED_PRECONDITION
                .withDescription(
                    "token "
                        + id
                        + " was already used by node "
                        + token.usedByNode()
                        + "; revoke the node instead")
                .asRuntimeException();
          }
          if (!tokens.revoke(c, id, now)) {
            throw Status.FAILED_PRECONDITION
                .withDescription(
                    "token " + id + " expired at " + token.expiresAt() + "; nothing to revoke")
                .asRuntimeException();
          }
          audit.append(
              c,
              new AuditEntry(
                  actor.name(),
                  "token.revoke",
                  id,
                  actor.source(),
                  "ok",
                  "was valid until " + token.expiresAt()));
          return tokens.find(c, id).orElseThrow();
        });
  }
}
