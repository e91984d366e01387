package org.debvisor.controller.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;

/**
 * Browser sessions: a random cookie value (only its SHA-256 is stored) and a CSRF token, ended by
 * logout, a password change, an idle timeout or an absolute timeout, whichever comes first.
 */
public final class Sessions {

  /** How long a session lives without use, and at most. */
  public record Timeouts(Duration idle, Duration absolute) {}

  public static final Timeouts DEFAULT_TIMEOUTS =
      new Timeouts(Duration.ofMinutes(30), Duration.ofHours(12));

  /** A session just opened: the cookie value and CSRF token go to the browser once. */
  public record Opened(String cookie, String csrfToken, Instant expiresAt) {}

  /** A live session's user, with the role as stored now (a role change applies at once). */
  public record Active(User user, String csrfToken) {}

  // Writing last_seen on every request would make each read a write; this is precise enough.
  private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Database db;
  private final AuditLog audit;
  private final Clock clock;
  private final Timeouts timeouts;
  private final SecureRandom random;
  private final SessionRepository sessions = new SessionRepository();
  private final UserRepository users = new UserRepository();

  public Sessions(
      Database db, AuditLog audit, Clock clock, Timeouts timeouts, SecureRandom random) {
    this.db = db;
    this.audit = audit;
    this.clock = clock;
    this.timeouts = timeouts;
    this.random = random;
  }

  public Timeouts timeouts() {
    return timeouts;
  }

  public Opened open(User user, String source) {
    String cookie = randomToken();
    String csrf = randomToken();
    Instant now = Instant.ofEpochMilli(clock.millis());
    db.write(
        c -> {
          sessions.insert(
              c, new SessionRow(Sha256.hex(cookie), user.name(), csrf, now, now, source));
          audit.append(
              c,
              new AuditEntry("user:" + user.name(), "session.open", user.name(), source, "ok", ""));
          return null;
        });
    return new Opened(cookie, csrf, now.plus(timeouts.absolute()));
  }

  /** The live session the cookie names; empty when unknown, ended or timed out. */
  public Optional<Active> resolve(String cookie) {
    String hash = Sha256.hex(cookie);
    Instant now = clock.instant();
    Optional<SessionRow> row = db.read(c -> sessions.find(c, hash));
    if (row.isEmpty()) {
      return Optional.empty();
    }
    SessionRow s = row.get();
    if (!now.isBefore(s.createdAt().plus(timeouts.absolute()))
        || !now.isBefore(s.lastSeen().plus(timeouts.idle()))) {
      db.write(c -> sessions.delete(c, hash));
      return Optional.empty();
    }
    Optional<User> user = db.read(c -> users.find(c, s.userName()));
    if (user.isEmpty()) {
      return Optional.empty();
    }
    if (now.isAfter(s.lastSeen().plus(TOUCH_EVERY))) {
      db.writeWithoutSync(
          c -> {
            sessions.touch(c, hash, now);
            return null;
          });
    }
    return Optional.of(new Active(user.get(), s.csrfToken()));
  }

  /** Ends the session server-side (logout); a copy of the cookie is worthless afterwards. */
  public void close(String cookie, String userName, String source) {
    String hash = Sha256.hex(cookie);
    db.write(
        c -> {
          if (sessions.delete(c, hash)) {
            audit.append(
                c, new AuditEntry("user:" + userName, "session.close", userName, source, "ok", ""));
          }
          return null;
        });
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return B64.encodeToString(bytes);
  }
}
