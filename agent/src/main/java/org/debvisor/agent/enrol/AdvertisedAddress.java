package org.debvisor.agent.enrol;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.debvisor.agent.settings.ListenAddress;

/** Works out the {@code host:port} the controller should use to reach this agent. */
public final class AdvertisedAddress {

  private AdvertisedAddress() {}

  /**
   * The configured address; else the first non-loopback listen address, with a wildcard host
   * (0.0.0.0, ::) replaced by {@code hostname}; else "" (the node serves loopback only).
   */
  public static String of(String configured, List<String> listen, String hostname) {
    if (!configured.isEmpty()) {
      return configured;
    }
    for (String text : listen) {
      ListenAddress address;
      try {
        address = ListenAddress.parse(text);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (address.isLoopback()) {
        continue;
      }
      if (isWildcard(address.host())) {
        return new ListenAddress(hostname, address.port()).toString();
      }
      return address.toString();
    }
    return "";
  }

  private static boolean isWildcard(String host) {
    if (host.isEmpty() || host.equals("*")) {
      return true;
    }
    // Only literals can be wildcards; never ask DNS about a name here.
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
