package org.debvisor.controller.identity;

import java.util.Locale;
import java.util.Optional;

/** What an operator may do: a viewer reads, an operator acts on nodes, an admin also on people. */
public enum Role {
  VIEWER,
  OPERATOR,
  ADMIN;

  /** True when this role includes everything {@code required} may do. */
  public boolean includes(Role required) {
    return compareTo(required) >= 0;
  }

  /** The lower-case name stored in the database and shown to users. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code text} (admin, operator or viewer, any case). */
  public static Optional<Role> parse(String text) {
    for (Role r : values()) {
      if (r.label().equalsIgnoreCase(text)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
