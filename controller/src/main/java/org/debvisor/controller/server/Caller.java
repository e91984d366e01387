package org.debvisor.controller.server;

import io.grpc.Context;
import java.time.Instant;
import java.util.List;

/**
 * Who is calling, as established by the auth interceptor: an enrolled node (by its client
 * certificate), the operator (by bearer token) or nobody (RegisterNode, health, reflection), and
 * from which address. For a node, {@code certificateNames} are its client certificate's subject
 * alternative names (DNS names and IP addresses): what the node may claim to be.
 */
record Caller(
    Kind kind,
    String name,
    String source,
    Instant certificateNotAfter,
    List<String> certificateNames) {

  Caller {
    certificateNames = certificateNames == null ? List.of() : List.copyOf(certificateNames);
  }

  /** A caller without a certificate (operator, anonymous). */
  Caller(Kind kind, String name, String source, Instant certificateNotAfter) {
    this(kind, name, source, certificateNotAfter, List.of());
  }

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
