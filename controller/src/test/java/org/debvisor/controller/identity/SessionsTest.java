package org.debvisor.controller.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.debvisor.common.digest.Sha256;
import org.debvisor.common.testing.MutableClock;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.inventory.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Browser sessions on a real SQLite inventory: what is stored, and each way a session ends. */
class SessionsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Sessions.Timeouts TIMEOUTS =
      new Sessions.Timeouts(Duration.ofMinutes(30), Duration.ofHours(2));

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  private final SessionRepository rows = new SessionRepository();
  private Database db;
  private Sessions sessions;
  private User alice;

  @BeforeEach
  void open() {
    // A fresh SQLite inventory per test: seconds per class, so the slow suite and the PIT gate.
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "slow suite only (-Ddebvisor.slow=true)");
    db = Database.open(dir.resolve("controller.db"));
    AuditLog audit = new AuditLog(clock);
    PasswordHasher hasher =
        new PasswordHasher(new PasswordHasher.Cost(64, 1, 1), new SecureRandom());
    alice =
        new Users(db, audit, hasher, clock)
            .add("alice", Role.OPERATOR, "twelve chars".toCharArray(), "user:root", "s");
    sessions = new Sessions(db, audit, clock, TIMEOUTS, new SecureRandom());
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  private List<AuditEntry> audit() {
    return db.read(c -> AuditLog.page(c, 0, 1000)).stream().map(AuditRecord::entry).toList();
  }

  private Optional<SessionRow> row(String cookie) {
    return db.read(c -> rows.find(c, Sha256.hex(cookie)));
  }

  @Test
  void anOpenedSessionStoresOnlyTheHashOfItsCookieAndIsAudited() {
    Sessions.Opened opened = sessions.open(alice, "10.0.0.7");

    assertThat(opened.cookie()).matches("[A-Za-z0-9_-]{43}");
    assertThat(opened.csrfToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(opened.cookie());
    assertThat(opened.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(2)));
    SessionRow stored = row(opened.cookie()).orElseThrow();
    assertThat(stored)
        .isEqualTo(
            new SessionRow(
                Sha256.hex(opened.cookie()), "alice", opened.csrfToken(), T0, T0, "10.0.0.7"));
    Optional<SessionRow> byCookie = db.read(c -> rows.find(c, opened.cookie()));
    assertThat(byCookie).as("never the cookie").isEmpty();
    assertThat(audit().getLast())
        .isEqualTo(new AuditEntry("user:alice", "session.open", "alice", "10.0.0.7", "ok", ""));
    assertThat(sessions.timeouts()).isEqualTo(TIMEOUTS);
  }

  @Test
  void aLiveSessionResolvesToItsUserAndCsrfToken() {
    Sessions.Opened opened = sessions.open(alice, "s");
    Sessions.Active active = sessions.resolve(opened.cookie()).orElseThrow();
    assertThat(active.user()).isEqualTo(alice);
    assertThat(active.csrfToken()).isEqualTo(opened.csrfToken());
    assertThat(sessions.resolve("not-a-cookie")).isEmpty();
    // Same length, one character changed.
    String forged = opened.cookie().substring(0, 42) + (opened.cookie().endsWith("A") ? "B" : "A");
    assertThat(sessions.resolve(forged)).isEmpty();
  }

  @Test
  void anIdleSessionEndsAtTheIdleTimeoutAndIsDeleted() {
    Sessions.Opened used = sessions.open(alice, "s");
    Sessions.Opened idle = sessions.open(alice, "s");
    clock.advance(Duration.ofMinutes(30).minusMillis(1));
    assertThat(sessions.resolve(used.cookie())).as("1 ms before the idle timeout").isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(sessions.resolve(idle.cookie())).isEmpty();
    assertThat(row(idle.cookie())).isEmpty();
    assertThat(row(used.cookie())).as("only the expired one goes").isPresent();
    assertThat(sessions.resolve(used.cookie())).as("its use just now counts").isPresent();
  }

  @Test
  void useKeepsASessionAliveUntilTheAbsoluteTimeout() {
    Sessions.Opened opened = sessions.open(alice, "s");
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofMinutes(25));
      assertThat(sessions.resolve(opened.cookie())).as("use %d", i).isPresent();
    }
    // 125 min since opening, 25 since last use: the absolute limit (120 min) ends it.
    clock.advance(Duration.ofMinutes(25));
    assertThat(sessions.resolve(opened.cookie())).isEmpty();
    assertThat(row(opened.cookie())).isEmpty();
  }

  @Test
  void theAbsoluteTimeoutEndsASessionAtExactlyItsLimit() {
    Sessions.Opened opened = sessions.open(alice, "s");
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofMinutes(29));
      assertThat(sessions.resolve(opened.cookie())).isPresent();
    }
    clock.advance(Duration.ofMinutes(4).minusMillis(1));
    assertThat(sessions.resolve(opened.cookie())).as("1 ms before 2 h").isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(sessions.resolve(opened.cookie())).isEmpty();
  }

  @Test
  void lastSeenIsWrittenOnlyWhenMoreThanThirtySecondsOld() {
    Sessions.Opened opened = sessions.open(alice, "s");
    clock.advance(Duration.ofSeconds(30));
    sessions.resolve(opened.cookie());
    assertThat(row(opened.cookie()).orElseThrow().lastSeen()).isEqualTo(T0);
    clock.advance(Duration.ofMillis(1));
    sessions.resolve(opened.cookie());
    assertThat(row(opened.cookie()).orElseThrow().lastSeen())
        .isEqualTo(T0.plusSeconds(30).plusMillis(1));
  }

  @Test
  void closingEndsTheSessionAndAuditsOnceOnly() {
    Sessions.Opened opened = sessions.open(alice, "s");
    int before = audit().size();
    sessions.close(opened.cookie(), "alice", "10.0.0.8");
    sessions.close(opened.cookie(), "alice", "10.0.0.8");
    sessions.close("unknown", "alice", "10.0.0.8");
    assertThat(sessions.resolve(opened.cookie())).isEmpty();
    assertThat(audit()).hasSize(before + 1);
    assertThat(audit().getLast())
        .isEqualTo(new AuditEntry("user:alice", "session.close", "alice", "10.0.0.8", "ok", ""));
  }
}
