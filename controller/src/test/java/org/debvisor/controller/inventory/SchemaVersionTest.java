package org.debvisor.controller.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sqlite.SQLiteDataSource;

/** Opening refuses what it must not touch: a newer schema, an unreachable server. */
@ExtendWith(PostgresExtension.class)
class SchemaVersionTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(SqlDialect.class)
  void aSchemaFromANewerControllerIsRefusedAndLeftAlone(SqlDialect engine, PostgresServer server)
      throws Exception {
    DataSource raw;
    String location;
    ThrowingCallable reopen;
    switch (engine) {
      case SQLITE -> {
        Path file = dir.resolve("controller.db");
        Database.open(file).close();
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + file);
        raw = sqlite;
        location = file.toString();
        reopen = () -> Database.open(file).close();
      }
      case POSTGRESQL -> {
        PostgresUrl url = server.createDatabase();
        Database.open(url).close();
        org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
        pg.setUrl(url.jdbcUrl());
        pg.setUser(url.user());
        raw = pg;
        location = url.redacted();
        reopen = () -> Database.open(url).close();
      }
      default -> throw new AssertionError(engine);
    }
    // A newer controller migrated this database one step further.
    List<String> newer = new ArrayList<>(engine.migrationLocations());
    newer.add("classpath:db/future");
    Flyway.configure().dataSource(raw).locations(newer.toArray(String[]::new)).load().migrate();
    Map<String, Long> before = counts(raw);

    assertThatThrownBy(reopen)
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining(location)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("up to " + LatestSchema.version());

    assertThat(counts(raw)).as("nothing changed").isEqualTo(before);
  }

  private static Map<String, Long> counts(DataSource raw) throws Exception {
    try (Connection c = raw.getConnection()) {
      return Map.of(
          "history",
          InventoryRepositoriesTest.scalar(c, "SELECT count(*) FROM flyway_schema_history"),
          "newer_feature",
          InventoryRepositoriesTest.scalar(c, "SELECT count(*) FROM newer_feature"));
    }
  }

  @Test
  void anUnreachableServerIsNamedWithoutThePassword() throws Exception {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    PostgresUrl url = PostgresUrl.parse("postgresql://ctl:s3cr%40t@127.0.0.1:" + port + "/fleet");
    assertThat(url.password()).isEqualTo("s3cr@t");

    assertThatThrownBy(() -> Database.open(url))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("cannot connect to the inventory database")
        .hasMessageContaining("postgresql://ctl@127.0.0.1:" + port + "/fleet")
        .hasMessageNotContaining("s3cr")
        .satisfies(e -> assertThat(((InventoryException) e).isTransient()).isTrue());
    // Nothing listens there, still: the attempt left no server or database behind.
    assertThatThrownBy(() -> DriverManager.getConnection(url.jdbcUrl(), "ctl", "s3cr@t").close())
        .isInstanceOf(java.sql.SQLException.class);
  }
}
