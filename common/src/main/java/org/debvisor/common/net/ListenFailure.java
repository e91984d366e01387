package org.debvisor.common.net;

import java.io.IOException;
import java.util.Locale;
import org.debvisor.common.error.Causes;

/**
 * Turns a failed bind into a message an operator can act on. Netty, gRPC and Armeria report it as
 * nested exceptions ending in the kernel's text ("Address already in use", errno -98), which names
 * neither the listener nor the way out.
 */
public final class ListenFailure {

  private ListenFailure() {}

  /**
   * An {@link IOException} saying which listener could not bind where, why, and what to do.
   *
   * @param listener what was to listen, e.g. "the HTTPS API"
   * @param address the address asked for, e.g. "0.0.0.0:8443"
   * @param option the setting that chose it, e.g. "--rest-listen"
   */
  public static IOException of(String listener, String address, String option, Throwable cause) {
    String root = rootMessage(cause);
    String lower = root.toLowerCase(Locale.ROOT);
    String advice;
    if (lower.contains("already in use")) {
      advice =
          "another process listens there (see `ss -ltnp`); stop it or choose another port with "
              + option;
    } else if (lower.contains("cannot assign requested address")) {
      advice =
          "the host is not an address of this machine; give one of its addresses (or 0.0.0.0) with "
              + option;
    } else if (lower.contains("permission denied")) {
      advice =
          "ports below 1024 need root or CAP_NET_BIND_SERVICE; choose a port from 1024 with "
              + option;
    } else {
      advice = "check " + option;
    }
    return new IOException(
        "cannot serve " + listener + " on " + address + ": " + root + "; " + advice, cause);
  }

  /** The innermost cause's message: the kernel's words, without the wrappers' class names. */
  public static String rootMessage(Throwable t) {
    String message = Causes.rootMessage(t);
    // Netty's native transport prefixes the syscall: "bind(..) failed with error(-98): ...".
    int colon = message.indexOf("): ");
    return message.startsWith("bind(") && colon > 0 ? message.substring(colon + 3) : message;
  }
}
