package org.debvisor.controller.inventory;

import java.nio.file.Path;
import java.sql.SQLException;

/** Opens a fresh, migrated inventory on either engine for tests that run on both. */
public final class TestInventories {

  private TestInventories() {}

  /** SQLite: a new file in {@code dir}; PostgreSQL: a new database on {@code server}. */
  public static Database open(SqlDialect engine, Path dir, PostgresServer server)
      throws SQLException {
    return switch (engine) {
      case SQLITE -> Database.open(dir.resolve("controller.db"));
      case POSTGRESQL -> Database.open(server.createDatabase());
    };
  }
}
