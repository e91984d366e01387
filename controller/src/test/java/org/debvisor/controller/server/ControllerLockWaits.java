package org.debvisor.controller.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.debvisor.controller.inventory.PostgresUrl;

/**
 * Waits, in tests on PostgreSQL, until a controller's statement waits for a lock the test holds.
 */
final class ControllerLockWaits {

  private static final int POLLS = 600;
  private static final long POLL_MILLIS = 50;

  private ControllerLockWaits() {}

  /**
   * Returns once a session of the controller ({@code application_name} debvisor-controller) waits
   * on a lock; after {@value #POLLS} polls fails with {@code never}.
   */
  static void awaitControllerWaitingOnLock(PostgresUrl url, String never) throws Exception {
    try (Connection watcher = DriverManager.getConnection(url.jdbcUrl(), url.user(), "");
        Statement s = watcher.createStatement()) {
      for (int poll = 0; poll < POLLS; poll++) {
        try (ResultSet r =
            s.executeQuery(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name ="
                    + " 'debvisor-controller' AND wait_event_type = 'Lock'")) {
          r.next();
          if (r.getLong(1) > 0) {
            return;
          }
        }
        Thread.sleep(POLL_MILLIS);
      }
    }
    throw new AssertionError(never);
  }
}
