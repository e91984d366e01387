package org.debvisor.controller.node;

import java.util.List;

/**
 * The {@code accounts} section of a node: root, the first user, password hashes and SSH keys, part
 * of {@link NodeValidator}.
 */
final class AccountChecks {

  private AccountChecks() {}

  static void check(FieldChecks checks, Accounts accounts) {
    if (!checks.present("accounts", accounts)) {
      return;
    }
    if (accounts.root() == null && accounts.user() == null) {
      checks.add("accounts", "must define root, user or both (someone has to be able to log in)");
    }
    if (accounts.root() != null) {
      RootAccount root = accounts.root();
      passwordHash(checks, "accounts.root.passwordHash", root.passwordHash());
      sshKeys(checks, "accounts.root.sshKeys", root.sshKeys());
    }
    if (accounts.user() != null) {
      UserAccount user = accounts.user();
      if (checks.present("accounts.user.name", user.name())
          && checks.text(
              "accounts.user.name", user.name(), ValueRules.USER_NAME, ValueRules.USER_NAME_RULE)
          && ValueRules.RESERVED_USERS.contains(user.name())) {
        checks.add("accounts.user.name", "'" + user.name() + "' is a system account name");
      }
      checks.text(
          "accounts.user.fullName",
          user.fullName(),
          ValueRules.FULL_NAME,
          ValueRules.FULL_NAME_RULE);
      passwordHash(checks, "accounts.user.passwordHash", user.passwordHash());
      sshKeys(checks, "accounts.user.sshKeys", user.sshKeys());
    }
  }

  private static void passwordHash(FieldChecks checks, String field, String hash) {
    if (!checks.present(field, hash) || !checks.safeCharacters(field, hash)) {
      return;
    }
    if (ValueRules.PASSWORD_HASH.matcher(hash).matches()) {
      return;
    }
    if (!hash.startsWith("$")) {
      checks.add(
          field,
          "looks like a plain-text password, which is refused: give a SHA-512 crypt hash"
              + " ($6$salt$...), e.g. from 'mkpasswd -m sha-512'");
    } else {
      checks.add(
          field,
          "must be a SHA-512 crypt hash: $6$, optional rounds=N$, a salt of up to 16 characters"
              + " [./A-Za-z0-9], $ and 86 hash characters (e.g. from 'mkpasswd -m sha-512')");
    }
  }

  private static void sshKeys(FieldChecks checks, String field, List<String> keys) {
    for (int i = 0; i < keys.size(); i++) {
      String itemField = field + "[" + i + "]";
      String key = keys.get(i);
      if (checks.present(itemField, key) && checks.safeCharacters(itemField, key)) {
        ValueRules.sshKeyProblem(key).ifPresent(rule -> checks.add(itemField, rule));
      }
    }
  }
}
