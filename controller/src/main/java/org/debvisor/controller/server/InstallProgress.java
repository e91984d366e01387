package org.debvisor.controller.server;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.debvisor.common.violation.BadRequests;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InstallProgressRepository;
import org.debvisor.controller.inventory.InstallProgressRow;
import org.debvisor.controller.inventory.TokenRepository;
import org.debvisor.controller.inventory.TokenRow;
import org.debvisor.controller.pki.BootstrapToken;
import org.debvisor.controller.rest.InstallProgressApi;
import org.debvisor.proto.InstallingNode;

/**
 * Install progress reports: an installer authenticates with the machine's bootstrap token (valid,
 * not yet used by an enrolment, not expired, and bound to the reported hostname if bound at all),
 * which a report does not consume. Every field is checked before anything is stored; a refused
 * report changes nothing. The first report and the end of an install (finished or failed) are
 * audited.
 */
final class InstallProgress implements InstallProgressApi {

  static final int MAX_MESSAGE = 512;
  static final int MAX_ARCH = 16;

  // Control characters (CR/LF among them) and the Unicode line separators: none may reach a log
  // line, a terminal or a header.
  private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}\\u2028\\u2029]");

  private final Database db;
  private final AuditLog audit;
  private final Clock clock;
  private final ProgressRateLimit limit;
  private final TokenRepository tokens = new TokenRepository();
  private final InstallProgressRepository installs = new InstallProgressRepository();

  InstallProgress(Database db, AuditLog audit, Clock clock) {
    this.db = db;
    this.audit = audit;
    this.clock = clock;
    this.limit = new ProgressRateLimit(clock);
  }

  @Override
  public InstallingNode report(String presented, Report report, String source) {
    BootstrapToken token =
        BootstrapToken.parse(presented)
            .orElseThrow(
                () ->
                    Errors.unauthenticated(
                        "the bootstrap token is malformed (expected dvb_<id>_<secret> exactly as"
                            + " printed by `debvisor token create`)"));
    Instant now = clock.instant();
    // Authentication first, so a caller without a valid token learns nothing of the rules and
    // cannot use up the budget of a machine whose token id it knows (ids are no secret).
    db.read(c -> checkToken(c, token, report.hostname(), now));
    limit.take(token.id());
    InstallPhase phase = validate(report);
    return db.write(
        c -> {
          // Enrolment may have consumed the token since the check above.
          TokenRow row = checkToken(c, token, report.hostname(), now);
          Optional<InstallProgressRow> before = installs.find(c, row.id());
          // A new "started" after an install ended is a new attempt: its own start time.
          boolean fresh =
              before.isEmpty()
                  || (phase == InstallPhase.STARTED
                      && InstallPhase.parse(before.get().phase())
                          .map(InstallPhase::isFinal)
                          .orElse(false));
          InstallProgressRow saved =
              new InstallProgressRow(
                  row.id(),
                  keep(report.hostname(), before.map(InstallProgressRow::hostname), row.hostname()),
                  keep(report.arch(), before.map(InstallProgressRow::arch), ""),
                  row.cluster(),
                  row.profile(),
                  phase.wireName(),
                  report.message(),
                  source,
                  fresh ? now : before.get().startedAt(),
                  now,
                  before.map(InstallProgressRow::reports).orElse(0) + 1);
          installs.save(c, saved);
          if (fresh || phase.isFinal()) {
            audit(c, saved, phase);
          }
          return NodeRecords.installing(saved);
        });
  }

  /** The reported value, else what an earlier report said, else the fallback. */
  private static String keep(String reported, Optional<String> earlier, String fallback) {
    if (!reported.isEmpty()) {
      return reported;
    }
    return earlier.filter(s -> !s.isEmpty()).orElse(fallback);
  }

  private void audit(Connection c, InstallProgressRow row, InstallPhase phase) throws SQLException {
    // Called for the first report of an attempt and for its end.
    String action =
        switch (phase) {
          case FAILED -> "install.failed";
          case FINISHED -> "install.finished";
          default -> "install.started";
        };
    audit.append(
        c,
        new AuditEntry(
            "install:" + row.tokenId(),
            action,
            row.hostname().isEmpty() ? row.tokenId() : row.hostname(),
            row.source(),
            phase == InstallPhase.FAILED ? "failed" : "ok",
            "token="
                + row.tokenId()
                + " phase="
                + row.phase()
                + " arch="
                + row.arch()
                + " cluster="
                + row.cluster()
                + (row.message().isEmpty() ? "" : " message=" + row.message())));
  }

  private static InstallPhase validate(Report report) {
    List<Violation> violations = new ArrayList<>();
    Optional<InstallPhase> phase = InstallPhase.parse(report.phase());
    if (report.phase().isEmpty()) {
      violations.add(new Violation("phase", "is required: one of " + InstallPhase.wireNames()));
    } else if (phase.isEmpty()) {
      violations.add(
          new Violation(
              "phase",
              "'"
                  + FieldRules.printable(report.phase())
                  + "' is not a phase; use one of "
                  + InstallPhase.wireNames()));
    }
    line(violations, "message", report.message(), MAX_MESSAGE);
    FieldRules.hostname(violations, "hostname", report.hostname(), false);
    line(violations, "arch", report.arch(), MAX_ARCH);
    if (!violations.isEmpty()) {
      throw BadRequests.invalidArgument(violations);
    }
    return phase.orElseThrow();
  }

  /** One line of text: at most {@code max} characters and no control characters. */
  private static void line(List<Violation> out, String field, String value, int max) {
    if (value.length() > max) {
      out.add(new Violation(field, "is longer than " + max + " characters"));
    } else if (UNSAFE.matcher(value).find()) {
      out.add(
          new Violation(
              field,
              "contains control characters (CR, LF, ESC ...); send one line of text (the"
                  + " installers strip them)"));
    }
  }

  private TokenRow checkToken(Connection c, BootstrapToken token, String hostname, Instant now)
      throws SQLException {
    Optional<TokenRow> stored = tokens.find(c, token.id());
    if (stored.isEmpty() || !token.matches(stored.get().secretSha256())) {
      throw Errors.unauthenticated(
          "bootstrap token "
              + token.id()
              + " is forged or unknown (no such token was issued by this controller); the"
              + " installer must carry the token from `debvisor token create`");
    }
    TokenRow row = stored.get();
    if (row.usedAt() != null) {
      throw Errors.unauthenticated(
          "bootstrap token "
              + row.id()
              + " was used by node "
              + row.usedByNode()
              + " to enrol at "
              + row.usedAt()
              + "; progress reports end at enrolment (see `debvisor nodes list`)");
    }
    if (!now.isBefore(row.expiresAt())) {
      throw Errors.unauthenticated(
          "bootstrap token "
              + row.id()
              + " expired at "
              + row.expiresAt()
              + "; the machine cannot enrol with it either: create a new one with `debvisor"
              + " token create --ttl ...` and rebuild the media");
    }
    if (!row.hostname().isEmpty()
        && !hostname.isEmpty()
        && !row.hostname().equalsIgnoreCase(hostname)) {
      throw Errors.denied(
          "bootstrap token "
              + row.id()
              + " is bound to hostname '"
              + row.hostname()
              + "', not '"
              + FieldRules.printable(hostname)
              + "'");
    }
    return row;
  }
}
