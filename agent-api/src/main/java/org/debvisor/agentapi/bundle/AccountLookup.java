package org.debvisor.agentapi.bundle;

import java.io.IOException;

/**
 * Whether a user or group name exists where the bundle will be applied. The agent asks its node; a
 * controller, which does not know the node's accounts, uses {@link #UNCHECKED}.
 */
@FunctionalInterface
public interface AccountLookup {

  /** Accepts every well-formed name: the node still checks existence when it applies. */
  AccountLookup UNCHECKED = (kind, name) -> true;

  /** User or group. */
  enum Kind {
    USER,
    GROUP;

    /** {@code user} or {@code group}, as messages say it. */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * @return whether an account of that kind and name exists
   * @throws IOException when it cannot be told (e.g. the name service failed)
   */
  boolean exists(Kind kind, String name) throws IOException;
}
