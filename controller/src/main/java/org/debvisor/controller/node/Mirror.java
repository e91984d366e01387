package org.debvisor.controller.node;

/**
 * The Debian archive the installer and the installed system use, over HTTP.
 *
 * @param host mirror host name or address, optionally with {@code :port}; default {@code
 *     deb.debian.org}
 * @param path archive directory on the host, default {@code /debian}
 * @param suite Debian suite, default {@code trixie}
 * @param proxy optional HTTP proxy, {@code http://host:port/}
 * @param securityHost host serving {@code /debian-security}, default {@code security.debian.org}
 */
public record Mirror(String host, String path, String suite, String proxy, String securityHost) {

  public Mirror {
    host = host == null ? "deb.debian.org" : host;
    path = path == null ? "/debian" : path;
    suite = suite == null ? "trixie" : suite;
    securityHost = securityHost == null ? "security.debian.org" : securityHost;
  }

  /** deb.debian.org, trixie, no proxy. */
  public static Mirror debian() {
    return new Mirror(null, null, null, null, null);
  }
}
