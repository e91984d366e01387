package org.debvisor.agentapi.bundle;

import java.util.OptionalLong;

/**
 * What counts as a numeric owner or group in a bundle, for the validator and for the agent that
 * sets it: one to ten ASCII digits. Whether the value fits a uid/gid is the caller's question.
 */
public final class NumericAccountId {

  private static final int MAX_DIGITS = 10;

  private NumericAccountId() {}

  /** The number {@code name} spells, or empty when it is not one to ten ASCII digits. */
  public static OptionalLong of(String name) {
    if (name.isEmpty() || name.length() > MAX_DIGITS) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseLong(name));
  }
}
