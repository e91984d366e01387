package org.debvisor.controller.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's durability level around unsynced writes, on a real SQLite file. */
class DatabaseTest {

  @TempDir Path dir;

  private static long count(Path file) throws Exception {
    try (Connection c = Database.readOnlyConnection(file);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM scratch")) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void unsyncedWriteCommitsVisiblyAndRestoresFullSync() throws Exception {
    Path file = dir.resolve("controller.db");
    try (Database db = Database.open(file)) {
      assertThat(db.writerSynchronous()).isEqualTo(2);
      db.write(
          c -> {
            try (Statement s = c.createStatement()) {
              s.execute("CREATE TABLE scratch (v INTEGER)");
            }
            return null;
          });

      int inside =
          db.writeWithoutSync(
              c -> {
                try (Statement s = c.createStatement()) {
                  s.execute("INSERT INTO scratch VALUES (1)");
                }
                try (Statement s = c.createStatement();
                    ResultSet level = s.executeQuery("PRAGMA synchronous")) {
                  level.next();
                  return level.getInt(1);
                }
              });

      assertThat(inside).as("synchronous inside the unsynced transaction").isEqualTo(1);
      assertThat(count(file)).isEqualTo(1);
      assertThat(db.writerSynchronous()).isEqualTo(2);
    }
  }

  @Test
  void failedUnsyncedWriteRollsBackAndRestoresFullSync() throws Exception {
    Path file = dir.resolve("controller.db");
    try (Database db = Database.open(file)) {
      db.write(
          c -> {
            try (Statement s = c.createStatement()) {
              s.execute("CREATE TABLE scratch (v INTEGER)");
            }
            return null;
          });

      assertThatThrownBy(
              () ->
                  db.writeWithoutSync(
                      c -> {
                        try (Statement s = c.createStatement()) {
                          s.execute("INSERT INTO scratch VALUES (1)");
                          s.execute("INSERT INTO no_such_table VALUES (1)");
                        }
                        return null;
                      }))
          .isInstanceOf(InventoryException.class)
          .hasMessageContaining("no_such_table");

      assertThat(count(file)).isZero();
      assertThat(db.writerSynchronous()).isEqualTo(2);
    }
  }
}
