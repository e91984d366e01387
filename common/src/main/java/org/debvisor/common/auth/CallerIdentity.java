package org.debvisor.common.auth;

import io.grpc.Context;

/**
 * Who is calling: a controller's certificate, an operator's token, or just a network peer.
 *
 * @param name e.g. {@code cert:controller-1}, {@code token:alice} or {@code peer:127.0.0.1}
 * @param authenticated true for certificates and tokens, false for bare peers
 */
public record CallerIdentity(String name, boolean authenticated) {

  /** The identity of the current call, set by {@link AuthInterceptor}. */
  public static final Context.Key<CallerIdentity> CURRENT = Context.key("debvisor-caller");

  /** The current call's identity, or an anonymous one outside a call. */
  public static CallerIdentity current() {
    CallerIdentity identity = CURRENT.get();
    return identity == null ? new CallerIdentity("local", false) : identity;
  }
}
