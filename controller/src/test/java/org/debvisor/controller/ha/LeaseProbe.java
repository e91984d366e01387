package org.debvisor.controller.ha;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.LeaseRepository;
import org.debvisor.controller.inventory.LeaseRow;
import org.debvisor.controller.inventory.PostgresUrl;

/**
 * Reads who leads a shared PostgreSQL inventory from outside the controllers (failover tests and
 * the failover benchmark watch the lease change hands).
 */
public final class LeaseProbe {

  private LeaseProbe() {}

  /** The member id a controller started in {@code stateDir} leads under. */
  public static String memberId(Path stateDir) throws IOException {
    return Files.readString(stateDir.resolve("controller-id"), StandardCharsets.UTF_8).strip();
  }

  /** The leader lease's row; fails if no controller ever took it. */
  public static LeaseRow lease(PostgresUrl url) throws SQLException {
    try (Connection c = Database.readOnlyConnection(url)) {
      return new LeaseRepository().find(c, LeaderLease.NAME).orElseThrow();
    }
  }

  /** The lease's holder, or "" before any controller took it. */
  public static String holder(PostgresUrl url) {
    try (Connection c = Database.readOnlyConnection(url)) {
      return new LeaseRepository().find(c, LeaderLease.NAME).map(LeaseRow::holder).orElse("");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
