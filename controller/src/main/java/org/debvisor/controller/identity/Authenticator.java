package org.debvisor.controller.identity;

import java.util.Optional;
import java.util.OptionalLong;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;

/**
 * Checks a user name and password under the login rate limits. Every failure is audited; a success
 * is audited when the caller says it is a login (a session), not a script's basic-auth request,
 * whose actions are audited themselves.
 */
public final class Authenticator {

  /** The one message for a wrong password and an unknown user: no hint which one it was. */
  public static final String WRONG = "the user name or password is wrong";

  /** The {@code how} of a script's basic-auth request: the one kind the credential cache serves. */
  public static final String BASIC = "basic";

  private final Database db;
  private final AuditLog audit;
  private final PasswordHasher hasher;
  private final LoginLimiter limiter;
  private final VerifiedCredentials verified;
  private final UserRepository users = new UserRepository();

  public Authenticator(
      Database db,
      AuditLog audit,
      PasswordHasher hasher,
      LoginLimiter limiter,
      VerifiedCredentials verified) {
    this.db = db;
    this.audit = audit;
    this.hasher = hasher;
    this.limiter = limiter;
    this.verified = verified;
  }

  /**
   * The user when {@code password} is theirs.
   *
   * @param how {@link #BASIC} or "session", recorded in the audit detail
   * @throws IdentityException UNAUTHENTICATED or RATE_LIMITED
   */
  public User authenticate(
      String name, char[] password, String source, String how, boolean auditSuccess) {
    OptionalLong wait = limiter.refusal(name, source);
    if (wait.isPresent()) {
      throw new IdentityException(
          IdentityException.Kind.RATE_LIMITED,
          "password",
          "too many failed logins for this user or from "
              + source
              + "; retry after "
              + (wait.getAsLong() + 999) / 1000
              + " s");
    }
    Optional<User> user =
        UserName.problem(name).isPresent() ? Optional.empty() : db.read(c -> users.find(c, name));
    boolean reusable = how.equals(BASIC);
    if (user.isEmpty()) {
      hasher.spend(password);
      fail(name, source, how, "unknown user");
    } else if (reusable && verified.contains(name, password, user.get().passwordHash())) {
      // Checked by the KDF within the cache's time to live, against the hash stored now.
    } else if (!hasher.matches(password, user.get().passwordHash())) {
      fail(name, source, how, "wrong password");
    } else if (reusable) {
      verified.add(name, password, user.get().passwordHash());
    }
    if (auditSuccess) {
      db.write(
          c ->
              audit.append(
                  c, new AuditEntry("user:" + name, "user.login", name, source, "ok", how)));
    }
    return user.orElseThrow();
  }

  private void fail(String name, String source, String how, String why) {
    limiter.recordFailure(name, source);
    // Only a valid name goes into the log: a typed password in the name field must not.
    String target = UserName.problem(name).isPresent() ? "(invalid name)" : name;
    db.write(
        c ->
            audit.append(
                c,
                new AuditEntry(
                    "user:" + target, "user.login", target, source, "refused", how + ": " + why)));
    throw new IdentityException(IdentityException.Kind.UNAUTHENTICATED, "password", WRONG);
  }
}
