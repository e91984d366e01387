package org.debvisor.controller.inventory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The controller's SQLite database ({@code <stateDir>/controller.db}): WAL journal,
 * synchronous=FULL so a committed transaction survives power loss, a busy timeout, schema migrated
 * by Flyway on open. Writes go through one connection under a lock (SQLite has one writer anyway);
 * reads open their own connections and run beside writes thanks to WAL.
 */
public final class Database implements AutoCloseable {

  /** Work done with a connection; throw to roll back. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final int BUSY_TIMEOUT_MS = 5_000;

  private final SQLiteDataSource dataSource;
  private final Connection writer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final String location;

  private Database(SQLiteDataSource dataSource, Connection writer, String location) {
    this.dataSource = dataSource;
    this.writer = writer;
    this.location = location;
  }

  /** Opens (creating when missing) and migrates the database file. */
  public static Database open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!Files.exists(file)) {
        // Token hashes and node data: owner only. SQLite gives -wal/-shm the same mode.
        Files.createFile(
            file,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      }
    } catch (java.io.IOException e) {
      throw new InventoryException("cannot create the directory of " + file, e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    // Deferred transactions: readers must not take the write lock. Writers in this process are
    // serialised by writeLock, so no two of them can deadlock upgrading their locks.
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration/sqlite")
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new InventoryException(
          "cannot migrate the inventory database " + file + ": " + e.getMessage(), e);
    }
    try {
      Connection writer = dataSource.getConnection();
      writer.setAutoCommit(false);
      return new Database(dataSource, writer, file.toString());
    } catch (SQLException e) {
      throw new InventoryException("cannot open the inventory database " + file, e);
    }
  }

  /**
   * A read-only connection to an existing database file without migrating it, for tools that
   * inspect the file (audit verify) while a controller may be running.
   */
  public static Connection readOnlyConnection(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setOpenMode(org.sqlite.SQLiteOpenMode.READONLY);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  /** Runs {@code work} in one committed transaction; any exception rolls it back. */
  public <T> T write(SqlWork<T> work) {
    writeLock.lock();
    try {
      try {
        T result = work.run(writer);
        writer.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback();
        if (e instanceof SQLException sql) {
          throw new InventoryException("inventory write failed (" + location + "): " + e, sql);
        }
        throw (RuntimeException) e;
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Like {@link #write}, but the commit is not fsynced (synchronous=NORMAL for this transaction),
   * for data that may be lost on power loss without harm — heartbeats, which the next one replaces.
   * The database stays consistent (WAL), the commit is visible at once, and the next durable
   * commit's fsync of the WAL makes this one durable too. Never for audited changes.
   */
  public <T> T writeWithoutSync(SqlWork<T> work) {
    writeLock.lock();
    try {
      synchronous("NORMAL");
      try {
        return write(work);
      } finally {
        synchronous("FULL");
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Sets the writer's sync level between transactions (SQLite ignores it inside one). */
  private void synchronous(String level) {
    try (java.sql.Statement s = writer.createStatement()) {
      writer.setAutoCommit(true);
      s.execute("PRAGMA synchronous=" + level);
      writer.setAutoCommit(false);
    } catch (SQLException e) {
      throw new InventoryException(
          "cannot set synchronous=" + level + " on the inventory database (" + location + ")", e);
    }
  }

  /** The writer connection's current {@code PRAGMA synchronous} (2 = FULL, 1 = NORMAL). */
  public int writerSynchronous() {
    writeLock.lock();
    try (java.sql.Statement s = writer.createStatement();
        java.sql.ResultSet r = s.executeQuery("PRAGMA synchronous")) {
      r.next();
      int level = r.getInt(1);
      writer.commit();
      return level;
    } catch (SQLException e) {
      throw new InventoryException("cannot read PRAGMA synchronous (" + location + ")", e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Runs read-only {@code work} on its own connection (a consistent snapshot). */
  public <T> T read(SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        return work.run(connection);
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new InventoryException("inventory read failed (" + location + "): " + e, e);
    }
  }

  private void rollback() {
    try {
      writer.rollback();
    } catch (SQLException ignored) {
      // The original failure is what matters; a failed rollback closes with the connection.
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      writer.close();
    } catch (SQLException ignored) {
      // Closing at shutdown: nothing left to do.
    } finally {
      writeLock.unlock();
    }
  }
}
