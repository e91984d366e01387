package org.debvisor.controller.inventory;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a PostgreSQL inventory lives: {@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE}.
 * The password may also come from elsewhere (the environment), so it is optional here; {@link
 * #redacted} is the form for messages and logs.
 *
 * @param password empty when the URL has none
 */
public record PostgresUrl(String user, String password, String host, int port, String database) {

  public static final String SCHEME = "postgresql";
  public static final int DEFAULT_PORT = 5432;
  private static final String SHAPE = "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE";

  /** True when {@code text} names PostgreSQL (so is meant for {@link #parse}). */
  public static boolean isPostgres(String text) {
    return text.startsWith(SCHEME + "://");
  }

  /**
   * Parses the URL; the message of the exception never repeats the password.
   *
   * @throws IllegalArgumentException what is wrong and the expected shape
   */
  public static PostgresUrl parse(String text) {
    if (!isPostgres(text)) {
      throw new IllegalArgumentException(
          "database URL must start with postgresql:// (" + SHAPE + ")");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          // Without the cause: its message repeats the whole URL, password included.
          "database URL is not a valid URL (" + e.getReason() + "); expected " + SHAPE);
    }
    String userInfo = uri.getRawUserInfo();
    String host = uri.getHost();
    String path = uri.getRawPath();
    if (userInfo == null || userInfo.isEmpty() || userInfo.startsWith(":")) {
      throw new IllegalArgumentException("database URL names no user; expected " + SHAPE);
    }
    if (host == null) {
      throw new IllegalArgumentException("database URL names no host; expected " + SHAPE);
    }
    if (path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
      throw new IllegalArgumentException("database URL names no database; expected " + SHAPE);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "database URL may not carry ?options or #fragments; expected " + SHAPE);
    }
    int colon = userInfo.indexOf(':');
    String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
    String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    return new PostgresUrl(user, password, host, port, decode(path.substring(1)));
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The same URL with a password given separately (e.g. from the environment). */
  public PostgresUrl withPassword(String secret) {
    return new PostgresUrl(user, secret, host, port, database);
  }

  /** The JDBC URL; user and password go to the driver separately. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + hostForUrl() + ":" + port + "/" + database;
  }

  /** The URL without its password: safe for messages and logs. */
  public String redacted() {
    return SCHEME + "://" + user + "@" + hostForUrl() + ":" + port + "/" + database;
  }

  private String hostForUrl() {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  @Override
  public String toString() {
    return redacted();
  }
}
