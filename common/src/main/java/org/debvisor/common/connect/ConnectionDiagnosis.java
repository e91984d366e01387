package org.debvisor.common.connect;

/** What went wrong reaching a TLS server, as a kind and one line a person can act on. */
public record ConnectionDiagnosis(Kind kind, String message) {

  /** The failures people meet when a client cannot reach the controller. */
  public enum Kind {
    /** The server's certificate does not name the host that was dialled. */
    NAME_MISMATCH,
    /** The server's certificate does not chain to the pinned CA. */
    UNTRUSTED_CERTIFICATE,
    /** Nothing listens on the port. */
    REFUSED,
    /** No answer in time (connect or handshake). */
    TIMEOUT,
    /** The host name does not resolve. */
    UNKNOWN_HOST,
    /** Something answers, but not with TLS. */
    NOT_TLS
  }
}
