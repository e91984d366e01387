package org.debvisor.agent.settings;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** A {@code host:port} to listen on; IPv6 hosts in brackets, e.g. {@code [::1]:5000}. */
public record ListenAddress(String host, int port) {

  /**
   * Parses {@code host:port}.
   *
   * @throws IllegalArgumentException with a message naming what is wrong
   */
  public static ListenAddress parse(String text) {
    String value = text == null ? "" : text.strip();
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(
          "'" + value + "' is not host:port (e.g. 127.0.0.1:5000 or [::1]:5000)");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "'" + value + "': write IPv6 addresses in brackets, e.g. [::1]:5000");
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "': port must be a number from 1 to 65535");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "'" + value + "': port must be from 1 to 65535 (0 picks a free port)");
    }
    return new ListenAddress(host, port);
  }

  /** Resolves the host; literal addresses never touch DNS. */
  public InetSocketAddress resolve() throws UnknownHostException {
    return new InetSocketAddress(InetAddress.getByName(host), port);
  }

  /** True when every address the host resolves to is a loopback address. */
  public boolean isLoopback() {
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      for (InetAddress address : all) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
