package org.debvisor.controller.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
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

/** Account changes on a real SQLite inventory: what is stored, audited and refused. */
class UsersTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final char[] PASSWORD = "twelve chars".toCharArray();

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);
  // A small cost keeps the test quick; the format and checks are the same at any cost.
  private final PasswordHasher hasher =
      new PasswordHasher(new PasswordHasher.Cost(64, 1, 1), new SecureRandom());
  private Database db;
  private Users users;
  private Sessions sessions;

  @BeforeEach
  void open() {
    // A fresh SQLite inventory per test: seconds per class, so the slow suite and the PIT gate.
    assumeTrue(Boolean.getBoolean("debvisor.slow"), "slow suite only (-Ddebvisor.slow=true)");
    db = Database.open(dir.resolve("controller.db"));
    AuditLog audit = new AuditLog(clock);
    users = new Users(db, audit, hasher, clock);
    sessions = new Sessions(db, audit, clock, Sessions.DEFAULT_TIMEOUTS, new SecureRandom());
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

  @Test
  void passwordsOfTwelveTo1024CharactersAreAccepted() {
    char[] longest = new char[1024];
    Arrays.fill(longest, 'x');
    assertThat(Users.passwordProblem("x".repeat(12).toCharArray())).isEmpty();
    assertThat(Users.passwordProblem(longest)).isEmpty();
    assertThat(Users.passwordProblem("x".repeat(11).toCharArray()))
        .contains("must be at least 12 characters");
    assertThat(Users.passwordProblem("x".repeat(1025).toCharArray()))
        .contains("must be at most 1024 characters");
  }

  @Test
  void anAddedUserIsStoredWithAHashOfItsPasswordAndAudited() {
    User added = users.add("alice", Role.OPERATOR, PASSWORD, "user:root", "10.0.0.9");
    User stored = users.find("alice").orElseThrow();
    assertThat(stored).isEqualTo(added);
    assertThat(stored.role()).isEqualTo(Role.OPERATOR);
    assertThat(stored.createdAt()).isEqualTo(T0);
    assertThat(stored.passwordChangedAt()).isEqualTo(T0);
    assertThat(hasher.matches(PASSWORD, stored.passwordHash())).isTrue();
    assertThat(users.list()).extracting(User::name).containsExactly("alice");
    assertThat(audit())
        .containsExactly(
            new AuditEntry("user:root", "user.add", "alice", "10.0.0.9", "ok", "role=operator"));
  }

  @Test
  void anInvalidNameOrPasswordIsRefusedAndNothingIsStored() {
    assertThatThrownBy(() -> users.add("Alice", Role.ADMIN, PASSWORD, "user:root", "s"))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(IdentityException.Kind.INVALID);
              assertThat(e.field()).isEqualTo("name");
            });
    assertThatThrownBy(
            () -> users.add("alice", Role.ADMIN, "short".toCharArray(), "user:root", "s"))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(IdentityException.Kind.INVALID);
              assertThat(e.field()).isEqualTo("password");
              assertThat(e.rule()).isEqualTo("must be at least 12 characters");
            });
    assertThat(users.list()).isEmpty();
    assertThat(audit()).isEmpty();
  }

  @Test
  void anExistingNameIsAConflictAndKeepsTheFirstAccount() {
    User first = users.add("alice", Role.VIEWER, PASSWORD, "user:root", "s");
    assertThatThrownBy(
            () -> users.add("alice", Role.ADMIN, "another password".toCharArray(), "user:x", "s"))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(IdentityException.Kind.CONFLICT);
              assertThat(e.rule()).contains("user 'alice' exists").contains("debvisor user passwd");
            });
    assertThat(users.find("alice")).contains(first);
    assertThat(audit()).hasSize(1);
  }

  @Test
  void aPasswordChangeStoresTheNewHashAndEndsEverySessionOfThatUserOnly() {
    User alice = users.add("alice", Role.OPERATOR, PASSWORD, "user:root", "s");
    User bob = users.add("bob", Role.OPERATOR, PASSWORD, "user:root", "s");
    Sessions.Opened a1 = sessions.open(alice, "s");
    Sessions.Opened a2 = sessions.open(alice, "s");
    Sessions.Opened b1 = sessions.open(bob, "s");
    clock.advance(Duration.ofMinutes(1));
    char[] next = "a new password".toCharArray();

    assertThat(users.changePassword("alice", next, "user:alice", "10.0.0.1")).isEqualTo(2);

    User changed = users.find("alice").orElseThrow();
    assertThat(hasher.matches(next, changed.passwordHash())).isTrue();
    assertThat(hasher.matches(PASSWORD, changed.passwordHash())).isFalse();
    assertThat(changed.passwordChangedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(changed.createdAt()).isEqualTo(T0);
    assertThat(sessions.resolve(a1.cookie())).isEmpty();
    assertThat(sessions.resolve(a2.cookie())).isEmpty();
    assertThat(sessions.resolve(b1.cookie())).isPresent();
    assertThat(audit().getLast())
        .isEqualTo(
            new AuditEntry(
                "user:alice", "user.passwd", "alice", "10.0.0.1", "ok", "sessions ended=2"));
  }

  @Test
  void aRefusedPasswordChangeKeepsTheOldPassword() {
    users.add("alice", Role.OPERATOR, PASSWORD, "user:root", "s");
    String before = users.find("alice").orElseThrow().passwordHash();
    int audited = audit().size();
    assertThatThrownBy(
            () -> users.changePassword("alice", "too short".toCharArray(), "user:alice", "s"))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.INVALID));
    assertThatThrownBy(() -> users.changePassword("nobody", PASSWORD, "user:root", "s"))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(IdentityException.Kind.NOT_FOUND);
              assertThat(e.rule()).isEqualTo("no user 'nobody'; see `debvisor user list`");
            });
    assertThat(users.find("alice").orElseThrow().passwordHash()).isEqualTo(before);
    assertThat(users.find("nobody")).isEmpty();
    assertThat(audit()).hasSize(audited);
  }

  @Test
  void theLastAdminStaysOthersGo() {
    users.add("root", Role.ADMIN, PASSWORD, "user:root", "s");
    users.add("viewer", Role.VIEWER, PASSWORD, "user:root", "s");

    assertThatThrownBy(() -> users.delete("root", "user:root", "s"))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(IdentityException.Kind.CONFLICT);
              assertThat(e.rule()).isEqualTo("'root' is the last admin; add another admin first");
            });
    assertThat(users.find("root")).isPresent();

    users.delete("viewer", "user:root", "10.0.0.1");
    assertThat(users.find("viewer")).isEmpty();
    assertThat(audit().getLast())
        .isEqualTo(
            new AuditEntry("user:root", "user.del", "viewer", "10.0.0.1", "ok", "role=viewer"));

    users.add("second", Role.ADMIN, PASSWORD, "user:root", "s");
    users.delete("root", "user:second", "s");
    assertThat(users.list()).extracting(User::name).containsExactly("second");
  }

  @Test
  void deletingAnUnknownUserIsNotFoundAndAuditsNothing() {
    users.add("root", Role.ADMIN, PASSWORD, "user:root", "s");
    assertThatThrownBy(() -> users.delete("ghost", "user:root", "s"))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.NOT_FOUND));
    assertThat(users.list()).hasSize(1);
    assertThat(audit()).hasSize(1);
  }

  @Test
  void usersAreListedByName() {
    users.add("carol", Role.VIEWER, PASSWORD, "user:root", "s");
    users.add("alice", Role.ADMIN, PASSWORD, "user:root", "s");
    users.add("bob", Role.OPERATOR, PASSWORD, "user:root", "s");
    assertThat(users.list())
        .extracting(User::name, User::role)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alice", Role.ADMIN),
            org.assertj.core.groups.Tuple.tuple("bob", Role.OPERATOR),
            org.assertj.core.groups.Tuple.tuple("carol", Role.VIEWER));
  }
}
