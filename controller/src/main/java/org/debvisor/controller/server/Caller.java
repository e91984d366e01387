package org.debvisor.controller.server;

import io.grpc.Context;
import java.time.Instant;

/**
 * Who is calling, as established by the auth interceptor: an enrolled node (by its client
 * certificate), the operator (by bearer token) or nobody (RegisterNode, health, reflection), and
 * from which address.
 */
record Caller(Kind kind, String name, String source, Instant certificateNotAfter) {

  /** How the caller authenticated. */
  public enum Kind {
    ANONYMOUS,
    NODE,
    OPERATOR
  }

  static final Context.Key<Caller> KEY = Context.key("debvisor-caller");

  /** The caller of the current call (anonymous from an unknown source outside a call). */
  public static Caller current() {
    Caller caller = KEY.get();
    return caller == null ? new Caller(Kind.ANONYMOUS, "anonymous", "unknown", null) : caller;
  }
}
