package org.debvisor.controller.identity;

import java.util.Optional;
import java.util.regex.Pattern;

/** The rule for operator names: short, lower-case, safe in logs, headers and the audit log. */
public final class UserName {

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

  private UserName() {}

  /** Why {@code name} is not a valid user name, or empty when it is. */
  public static Optional<String> problem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is required");
    }
    if (!NAME.matcher(name).matches()) {
      return Optional.of("must be 1-32 characters: a-z or _ first, then a-z, 0-9, '_', '.' or '-'");
    }
    return Optional.empty();
  }
}
