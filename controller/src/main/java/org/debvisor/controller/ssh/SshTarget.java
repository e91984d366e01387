package org.debvisor.controller.ssh;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where to connect: {@code [user@]host[:port]}; IPv6 addresses in brackets ({@code [::1]:2222}).
 *
 * @param user login name (default {@code root})
 * @param host host name or address, without brackets
 * @param port TCP port (default 22)
 */
public record SshTarget(String user, String host, int port) {

  private static final Pattern FORM =
      Pattern.compile(
          "(?:([a-z_][a-z0-9_.-]{0,31})@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(?::(\\d{1,5}))?");

  public SshTarget {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  /**
   * Parses {@code [user@]host[:port]}.
   *
   * @throws IllegalArgumentException naming the rule that {@code text} breaks
   */
  public static SshTarget parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not [user@]host[:port] (user: lower-case letters, digits, _.-; host: a name,"
              + " an IPv4 address or an IPv6 address in brackets)");
    }
    String host = m.group(2);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
    return new SshTarget(m.group(1) == null ? "root" : m.group(1), host, port);
  }

  /** {@code user@host[:port]}, the way the operator wrote it (port only when not 22). */
  @Override
  public String toString() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return user + "@" + h + (port == 22 ? "" : ":" + port);
  }

  /** The host as known_hosts writes it: {@code host}, or {@code [host]:port} off port 22. */
  public String knownHostsName() {
    return port == 22 ? host : "[" + host + "]:" + port;
  }
}
