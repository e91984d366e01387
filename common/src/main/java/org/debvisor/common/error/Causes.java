package org.debvisor.common.error;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an exception's cause chain. Libraries (Netty, gRPC, Hikari, MINA SSHD) wrap the failure a
 * person can act on ("Connection refused", "password authentication failed") in layers whose
 * messages only name the wrapper; the innermost cause carries the words worth showing.
 *
 * <p>Every walk is bounded: a chain may loop (two exceptions naming each other with {@code
 * initCause}), and a loop must not hang the error path. Suppressed exceptions are not followed:
 * they record what failed while cleaning up after the failure, not why it failed.
 */
public final class Causes {

  /** How many links a walk follows at most; real chains are a handful deep. */
  static final int MAX_DEPTH = 64;

  private Causes() {}

  /**
   * The failure and its causes, outermost first, each exception once and at most {@link #MAX_DEPTH}
   * of them; empty for null.
   */
  public static List<Throwable> chain(Throwable failure) {
    List<Throwable> out = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && out.size() < MAX_DEPTH && seen.add(t); ) {
      out.add(t);
      t = t.getCause();
    }
    return out;
  }

  /** The innermost cause (the failure itself when it has none); in a loop, the last new link. */
  public static Throwable root(Throwable failure) {
    List<Throwable> chain = chain(failure);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no failure to find the root cause of");
    }
    return chain.getLast();
  }

  /**
   * The innermost cause's message, e.g. "Connection refused" rather than "io exception"; its class
   * name when it has no message (a bare {@code ConnectException} still says what it is).
   */
  public static String rootMessage(Throwable failure) {
    Throwable root = root(failure);
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  /** The outermost exception in the chain of the given type, if any. */
  public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
    return chain(failure).stream().filter(type::isInstance).map(type::cast).findFirst();
  }
}
