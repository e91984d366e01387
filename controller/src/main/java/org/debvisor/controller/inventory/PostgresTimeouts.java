package org.debvisor.controller.inventory;

import com.zaxxer.hikari.HikariConfig;
import java.time.Duration;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * How long the controller waits on PostgreSQL. A network partition that drops packets without a
 * reset leaves a query in flight waiting for TCP's retransmission timeout (about 15 minutes); the
 * socket timeout bounds that wait, so the call answers UNAVAILABLE and the pool replaces the
 * connection. The same bound ends, on the server, a transaction whose client went silent between
 * two statements (idle in transaction), so its row locks do not outlive the partition.
 *
 * <p>The controller's own statements are short (a fleet's worth of rows at most). Migrations are
 * not: an index build on a large table, or a wait for another controller's migration lock, may send
 * nothing for longer than any bound chosen here, so they run on connections of their own without a
 * socket timeout ({@link #migrationSource}).
 *
 * @param socket how long a statement may go without a byte from the server
 */
public record PostgresTimeouts(Duration socket) {

  /** Far above the longest statement the controller runs while serving; far below TCP's 15 min. */
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);

  /** The range {@code --database-timeout} accepts. */
  public static final Duration MIN_SOCKET_TIMEOUT = Duration.ofSeconds(1);

  public static final Duration MAX_SOCKET_TIMEOUT = Duration.ofHours(1);

  // Opening a TCP connection; the login that follows is bounded by the socket timeout too.
  private static final int CONNECT_SECONDS = 3;
  // The pool's liveness check of an idle connection: a live server answers it in milliseconds, and
  // the pool's own 5 s default would outlast the time an RPC waits for a connection.
  private static final long VALIDATION_MS = 2_000;

  public PostgresTimeouts {
    if (socket.compareTo(MIN_SOCKET_TIMEOUT) < 0
        || socket.compareTo(MAX_SOCKET_TIMEOUT) > 0
        || socket.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          "--database-timeout of "
              + socket.toMillis()
              + " ms is out of range; use whole seconds from 1s to 1h (default "
              + DEFAULT_SOCKET_TIMEOUT.toSeconds()
              + "s)");
    }
  }

  /** The defaults. */
  public static PostgresTimeouts defaults() {
    return new PostgresTimeouts(DEFAULT_SOCKET_TIMEOUT);
  }

  /** Bounds every wait of the serving pool's connections. */
  void configurePool(HikariConfig config) {
    String seconds = Long.toString(socket.toSeconds());
    config.setValidationTimeout(Math.min(VALIDATION_MS, socket.toMillis()));
    config.addDataSourceProperty("connectTimeout", Integer.toString(CONNECT_SECONDS));
    config.addDataSourceProperty("loginTimeout", Long.toString(loginSeconds()));
    config.addDataSourceProperty("socketTimeout", seconds);
    config.addDataSourceProperty("tcpKeepAlive", "true");
    config.addDataSourceProperty(
        "options", "-c idle_in_transaction_session_timeout=" + socket.toMillis());
  }

  /**
   * Connections for Flyway's migrations and their backfills: the connect and login are bounded, the
   * statements are not.
   */
  static PGSimpleDataSource migrationSource(PostgresUrl url, PostgresTimeouts timeouts) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(url.jdbcUrl());
    source.setUser(url.user());
    source.setPassword(url.password());
    source.setConnectTimeout(CONNECT_SECONDS);
    source.setLoginTimeout((int) timeouts.loginSeconds());
    source.setTcpKeepAlive(true);
    source.setApplicationName("debvisor-controller-migration");
    return source;
  }

  private long loginSeconds() {
    return CONNECT_SECONDS + socket.toSeconds();
  }
}
