package org.debvisor.controller.server;

import java.net.InetAddress;
import java.util.Optional;
import org.debvisor.controller.inventory.AgentHost;

/**
 * Compares the hosts of addresses as written by nodes and as read from certificates: IP literals by
 * their bytes (so "::1" equals "0:0:0:0:0:0:0:1"), names case-insensitively. Never resolves a name.
 */
final class HostNames {

  private HostNames() {}

  /** The literal's address, or empty when {@code host} is not an IP literal. */
  static Optional<InetAddress> ipLiteral(String host) {
    return AgentHost.ipLiteral(host);
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
