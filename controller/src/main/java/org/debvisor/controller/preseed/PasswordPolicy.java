package org.debvisor.controller.preseed;

import java.util.Optional;
import java.util.Set;
import org.debvisor.controller.node.ValueRules;

/**
 * DebVisor installs crypted passwords only: a crypted answer must be a real crypt hash, and a
 * plain-text password answer is an error unless the user only wants a file checked, when it is a
 * warning.
 */
final class PasswordPolicy {

  static final String ALLOW_FLAG = "--allow-plaintext-passwords";

  private static final Set<String> CRYPTED =
      Set.of("passwd/root-password-crypted", "passwd/user-password-crypted");

  private static final Set<String> PLAIN =
      Set.of(
          "passwd/root-password",
          "passwd/root-password-again",
          "passwd/user-password",
          "passwd/user-password-again",
          "grub-installer/password",
          "grub-installer/password-again");

  private final boolean allowPlaintext;

  /**
   * @param allowPlaintext whether plain-text passwords are only warned about
   */
  PasswordPolicy(boolean allowPlaintext) {
    this.allowPlaintext = allowPlaintext;
  }

  /** What the policy says about the answer, if anything. */
  Optional<Finding> check(ParsedAnswer at) {
    String question = at.answer().question();
    String value = at.answer().value();
    if (CRYPTED.contains(question)) {
      Optional<String> problem =
          value.isEmpty()
              ? Optional.of("is empty: it " + ValueRules.CRYPT_HASH_RULE)
              : ValueRules.cryptHashProblem(value);
      return problem.map(rule -> Finding.error(at, rule));
    }
    if (!PLAIN.contains(question)) {
      return Optional.empty();
    }
    String crypted = question.replaceFirst("-again$", "") + "-crypted";
    if (allowPlaintext) {
      return Optional.of(
          Finding.warning(
              at,
              "is a plain-text password: anyone who reads this file can log in; answer "
                  + crypted
                  + " with a hash from 'mkpasswd -m sha-512' instead"));
    }
    return Optional.of(
        Finding.error(
            at,
            "is a plain-text password, which DebVisor refuses (crypted passwords only): answer "
                + crypted
                + " with a hash from 'mkpasswd -m sha-512' instead, or pass "
                + ALLOW_FLAG
                + " to only warn"));
  }
}
