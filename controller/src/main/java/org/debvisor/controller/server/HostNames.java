package org.debvisor.controller.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Compares the hosts of addresses as written by nodes and as read from certificates: IP literals by
 * their bytes (so "::1" equals "0:0:0:0:0:0:0:1"), names case-insensitively. Never resolves a name.
 */
final class HostNames {

  private HostNames() {}

  /** The literal's address, or empty when {@code host} is not an IP literal. */
  static Optional<InetAddress> ipLiteral(String host) {
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean v4 = bare.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = bare.contains(":") && bare.matches("[0-9A-Fa-f:.]{2,45}");
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

  static boolean same(String a, String b) {
    Optional<InetAddress> ipA = ipLiteral(a);
    Optional<InetAddress> ipB = ipLiteral(b);
    if (ipA.isPresent() || ipB.isPresent()) {
      return ipA.isPresent() && ipB.isPresent() && ipA.get().equals(ipB.get());
    }
    return a.equalsIgnoreCase(b);
  }

  static boolean isLoopback(String host) {
    return ipLiteral(host)
        .map(InetAddress::isLoopbackAddress)
        .orElse(host.equalsIgnoreCase("localhost"));
  }
}
