package org.debvisor.controller.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;

/**
 * Adds, changes and removes operator accounts, each change audited in the same transaction. A
 * password change or removal ends the user's sessions.
 */
public final class Users {

  static final int MIN_PASSWORD = 12;
  static final int MAX_PASSWORD = 1024;

  private final Database db;
  private final AuditLog audit;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final UserRepository users = new UserRepository();
  private final SessionRepository sessions = new SessionRepository();

  public Users(Database db, AuditLog audit, PasswordHasher hasher, Clock clock) {
    this.db = db;
    this.audit = audit;
    this.hasher = hasher;
    this.clock = clock;
  }

  /** The rule a new password breaks, or empty. */
  public static Optional<String> passwordProblem(char[] password) {
    if (password.length < MIN_PASSWORD) {
      return Optional.of("must be at least " + MIN_PASSWORD + " characters");
    }
    if (password.length > MAX_PASSWORD) {
      return Optional.of("must be at most " + MAX_PASSWORD + " characters");
    }
    return Optional.empty();
  }

  public User add(String name, Role role, char[] password, String actor, String source) {
    UserName.problem(name)
        .ifPresent(
            rule -> {
              throw new IdentityException(IdentityException.Kind.INVALID, "name", rule);
            });
    checkPassword(password);
    Instant now = Instant.ofEpochMilli(clock.millis());
    User user = new User(name, role, hasher.hash(password), now, now);
    return db.write(
        c -> {
          if (users.find(c, name).isPresent()) {
            throw new IdentityException(
                IdentityException.Kind.CONFLICT,
                "name",
                "user '" + name + "' exists; use `debvisor user passwd` to change the password");
          }
          users.insert(c, user);
          audit.append(
              c, new AuditEntry(actor, "user.add", name, source, "ok", "role=" + role.label()));
          return user;
        });
  }

  /** Sets a new password and ends every session of the user; returns how many ended. */
  public int changePassword(String name, char[] password, String actor, String source) {
    checkPassword(password);
    String hash = hasher.hash(password);
    Instant now = Instant.ofEpochMilli(clock.millis());
    return db.write(
        c -> {
          if (!users.updatePassword(c, name, hash, now)) {
            throw unknown(name);
          }
          int ended = sessions.deleteAllOf(c, name);
          audit.append(
              c,
              new AuditEntry(actor, "user.passwd", name, source, "ok", "sessions ended=" + ended));
          return ended;
        });
  }

  /**
   * Gives the user another role, effective on their next request (sessions read the role as stored
   * now); the last admin cannot be demoted, so the API can always be administered.
   */
  public User changeRole(String name, Role role, String actor, String source) {
    return db.write(
        c -> {
          User user = users.find(c, name).orElseThrow(() -> unknown(name));
          if (user.role() == role) {
            return user;
          }
          if (user.role() == Role.ADMIN && users.countAdmins(c) == 1) {
            throw new IdentityException(
                IdentityException.Kind.CONFLICT,
                "role",
                "'" + name + "' is the last admin; make another user admin first");
          }
          users.updateRole(c, name, role);
          audit.append(
              c,
              new AuditEntry(
                  actor,
                  "user.role",
                  name,
                  source,
                  "ok",
                  "from " + user.role().label() + " to " + role.label()));
          return new User(
              name, role, user.passwordHash(), user.createdAt(), user.passwordChangedAt());
        });
  }

  /** Removes the user; the last admin stays, so the API can always be administered. */
  public void delete(String name, String actor, String source) {
    db.write(
        c -> {
          User user = users.find(c, name).orElseThrow(() -> unknown(name));
          if (user.role() == Role.ADMIN && users.countAdmins(c) == 1) {
            throw new IdentityException(
                IdentityException.Kind.CONFLICT,
                "name",
                "'" + name + "' is the last admin; add another admin first");
          }
          users.delete(c, name);
          audit.append(
              c,
              new AuditEntry(actor, "user.del", name, source, "ok", "role=" + user.role().label()));
          return null;
        });
  }

  public List<User> list() {
    return db.read(users::all);
  }

  public Optional<User> find(String name) {
    return db.read(c -> users.find(c, name));
  }

  private static void checkPassword(char[] password) {
    passwordProblem(password)
        .ifPresent(
            rule -> {
              throw new IdentityException(IdentityException.Kind.INVALID, "password", rule);
            });
  }

  private static IdentityException unknown(String name) {
    return new IdentityException(
        IdentityException.Kind.NOT_FOUND,
        "name",
        "no user '" + name + "'; see `debvisor user list`");
  }
}
