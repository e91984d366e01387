package org.debvisor.controller.ssh;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where to connect: {@code [user@]host[:port]}; IPv6 addresses in brackets ({@code [::1]:2222}).
 * The host may be an alias of {@code ~/.ssh/config}; what the operator left out (user, port) may
 * then come from there.
 *
 * @param user login name (default {@code root})
 * @param host host name, alias or address, without brackets
 * @param port TCP port (default 22)
 * @param userGiven whether the user was written out (else ssh_config's User may replace it)
 * @param portGiven whether the port was written out (else ssh_config's Port may replace it)
 */
public record SshTarget(String user, String host, int port, boolean userGiven, boolean portGiven) {

  private static final Pattern FORM =
      Pattern.compile(
          "(?:([a-z_][a-z0-9_.-]{0,31})@)?(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(?::(\\d{1,5}))?");

  public SshTarget {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
  }

  /** A target with user and port fixed (ssh_config does not change them). */
  public SshTarget(String user, String host, int port) {
    this(user, host, port, true, true);
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
    return new SshTarget(
        m.group(1) == null ? "root" : m.group(1),
        host,
        port,
        m.group(1) != null,
        m.group(3) != null);
  }

  /**
   * {@code [user@]host[:port]}, the way the operator wrote it (user only when given, port only when
   * given and not 22), so an ssh_config alias reads as the alias.
   */
  @Override
  public String toString() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return (userGiven ? user + "@" : "") + h + (portGiven && port != 22 ? ":" + port : "");
  }

  /** The host as known_hosts writes it: {@code host}, or {@code [host]:port} off port 22. */
  public String knownHostsName() {
    return port == 22 ? host : "[" + host + "]:" + port;
  }
}
