package org.debvisor.controller.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.debvisor.common.testing.MutableClock;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.inventory.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Password checks on a real SQLite inventory: results, audit rows and the login limits. */
class AuthenticatorTest {

  private static final char[] PASSWORD = "twelve chars".toCharArray();

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock();
  private Database db;
  private Authenticator authenticator;
  private User alice;
  private PasswordHasher hasher;
  private AuditLog audit;

  @BeforeEach
  void open() {
    // A fresh SQLite inventory per test: seconds per class, so the slow suite and the PIT gate.
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "slow suite only (-Ddebvisor.slow=true)");
    db = Database.open(dir.resolve("controller.db"));
    audit = new AuditLog(clock);
    hasher = new PasswordHasher(new PasswordHasher.Cost(64, 1, 1), new SecureRandom());
    alice =
        new Users(db, audit, hasher, clock).add("alice", Role.ADMIN, PASSWORD, "user:root", "s");
    // Two failures per user; the source limit is out of the way except where a test sets its own.
    LoginLimiter limiter =
        new LoginLimiter(new LoginLimiter.Limit(2, 1), new LoginLimiter.Limit(1000, 1000));
    authenticator =
        new Authenticator(
            db,
            audit,
            hasher,
            limiter,
            new VerifiedCredentials(clock, Duration.ofSeconds(60), 16, new SecureRandom()));
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

  private static void assertUnauthenticated(Throwable e) {
    assertThat(e)
        .isInstanceOfSatisfying(
            IdentityException.class,
            ie -> {
              assertThat(ie.kind()).isEqualTo(IdentityException.Kind.UNAUTHENTICATED);
              assertThat(ie.field()).isEqualTo("password");
              assertThat(ie.rule()).isEqualTo(Authenticator.WRONG);
            });
  }

  @Test
  void theRightPasswordGivesTheUserAndASessionLoginIsAudited() {
    int before = audit().size();
    assertThat(authenticator.authenticate("alice", PASSWORD, "10.0.0.1", "basic", false))
        .isEqualTo(alice);
    assertThat(audit()).as("a script's request is not a login").hasSize(before);

    assertThat(authenticator.authenticate("alice", PASSWORD, "10.0.0.1", "session", true))
        .isEqualTo(alice);
    assertThat(audit().getLast())
        .isEqualTo(
            new AuditEntry("user:alice", "user.login", "alice", "10.0.0.1", "ok", "session"));
  }

  @Test
  void aWrongPasswordIsRefusedAndAudited() {
    int before = audit().size();
    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                authenticator.authenticate(
                    "alice", "twelve charS".toCharArray(), "10.0.0.2", "basic", true));
    assertUnauthenticated(e);
    assertThat(audit()).hasSize(before + 1);
    assertThat(audit().getLast())
        .isEqualTo(
            new AuditEntry(
                "user:alice",
                "user.login",
                "alice",
                "10.0.0.2",
                "refused",
                "basic: wrong password"));
  }

  @Test
  void anUnknownUserIsRefusedWithTheSameMessage() {
    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> authenticator.authenticate("bob", PASSWORD, "10.0.0.2", "session", true));
    assertUnauthenticated(e);
    assertThat(audit().getLast())
        .isEqualTo(
            new AuditEntry(
                "user:bob", "user.login", "bob", "10.0.0.2", "refused", "session: unknown user"));
  }

  @Test
  void anInvalidNameIsNeverWrittenToTheAuditLog() {
    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                authenticator.authenticate(
                    "My Secret Password", PASSWORD, "10.0.0.2", "basic", true));
    assertUnauthenticated(e);
    assertThat(audit().getLast())
        .isEqualTo(
            new AuditEntry(
                "user:(invalid name)",
                "user.login",
                "(invalid name)",
                "10.0.0.2",
                "refused",
                "basic: unknown user"));
    assertThat(audit()).noneMatch(a -> a.toString().contains("Secret"));
  }

  @Test
  void afterTheAllowedFailuresEvenTheRightPasswordWaitsAndNothingIsAudited() {
    char[] wrong = "not the password".toCharArray();
    for (int i = 0; i < 2; i++) {
      assertUnauthenticated(
          org.assertj.core.api.Assertions.catchThrowable(
              () -> authenticator.authenticate("alice", wrong, "10.0.0.3", "basic", true)));
    }
    int before = audit().size();
    assertThatThrownBy(
            () -> authenticator.authenticate("alice", PASSWORD, "10.0.0.4", "basic", true))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(IdentityException.Kind.RATE_LIMITED);
              assertThat(e.field()).isEqualTo("password");
              // One per minute refills: the wait is rounded up to whole seconds.
              assertThat(e.rule())
                  .matches(
                      "too many failed logins for this user or from 10\\.0\\.0\\.4; retry after"
                          + " (59|60) s");
            });
    assertThat(audit()).hasSize(before);
  }

  @Test
  void aCachedBasicCredentialStopsWorkingWhenAnotherProcessChangesOrRemovesTheUser() {
    char[] bobPassword = "bob's password".toCharArray();
    // Users of their own, as `debvisor user` in another process: no shared cache to clear.
    Users cli = new Users(db, audit, hasher, clock);
    cli.add("bob", Role.VIEWER, bobPassword, "user:root", "cli");
    assertThat(authenticator.authenticate("bob", bobPassword, "10.0.0.5", "basic", false).role())
        .isEqualTo(Role.VIEWER);
    // Verified now: the cached check still reads the role as stored.
    cli.changeRole("bob", Role.OPERATOR, "user:root", "cli");
    assertThat(authenticator.authenticate("bob", bobPassword, "10.0.0.5", "basic", false).role())
        .isEqualTo(Role.OPERATOR);

    cli.changePassword("bob", "bob's new password".toCharArray(), "user:root", "cli");
    assertUnauthenticated(
        org.assertj.core.api.Assertions.catchThrowable(
            () -> authenticator.authenticate("bob", bobPassword, "10.0.0.5", "basic", false)));
    assertThat(
            authenticator
                .authenticate("bob", "bob's new password".toCharArray(), "10.0.0.5", "basic", false)
                .name())
        .isEqualTo("bob");

    cli.delete("bob", "user:root", "cli");
    assertUnauthenticated(
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                authenticator.authenticate(
                    "bob", "bob's new password".toCharArray(), "10.0.0.5", "basic", false)));
    assertThat(audit().getLast())
        .isEqualTo(
            new AuditEntry(
                "user:bob", "user.login", "bob", "10.0.0.5", "refused", "basic: unknown user"));
  }
}
