package org.debvisor.controller.inventory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The host of a node's agent address in one canonical spelling, stored beside the address so that
 * "which node holds this address" is an indexed lookup: IP literals as the JDK prints their bytes
 * (so "::1" and "0:0:0:0:0:0:0:1" are one), names in lower case. Never resolves a name.
 */
public final class AgentHost {

  // Compiled once: String.matches compiles its pattern on every call, and every enrolment and
  // address lookup asks.
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private AgentHost() {}

  /** The literal's address, or empty when {@code host} is not an IP literal. */
  public static Optional<InetAddress> ipLiteral(String host) {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean v4 = IPV4.matcher(bare).matches();
    boolean v6 = bare.contains(":") && IPV6.matcher(bare).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      // A literal: getByName parses it and does no lookup.
      return Optional.of(InetAddress.getByName(bare));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** {@code host} (no port) in its canonical spelling. */
  public static String canonical(String host) {
    return ipLiteral(host).map(InetAddress::getHostAddress).orElse(host.toLowerCase(Locale.ROOT));
  }

  /** {@code host:port} split at its last colon, the host without the brackets of {@code [v6]}. */
  public record HostPort(String host, String port, boolean bracketed) {}

  /**
   * The one place an address is split into host and port; empty when there is no colon after the
   * first character. Checks nothing else: callers validate (FieldRules) or trust stored addresses.
   */
  public static Optional<HostPort> split(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    String host = address.substring(0, colon);
    boolean bracketed = host.startsWith("[") && host.endsWith("]");
    return Optional.of(
        new HostPort(
            bracketed ? host.substring(1, host.length() - 1) : host,
            address.substring(colon + 1),
            bracketed));
  }

  /**
   * The canonical host of an agent address {@code host:port} or {@code [v6]:port}; empty for an
   * empty address (a node that serves loopback only).
   */
  public static String ofAddress(String address) {
    if (address == null || address.isEmpty()) {
      return "";
    }
    return canonical(split(address).map(HostPort::host).orElse(address));
  }
}
