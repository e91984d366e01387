package org.debvisor.controller.inventory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.debvisor.common.error.Causes;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The controller's inventory database, schema migrated by Flyway on open. Two engines, the same
 * repositories:
 *
 * <ul>
 *   <li>SQLite ({@code <stateDir>/controller.db}, the default): WAL journal, synchronous=FULL so a
 *       committed transaction survives power loss, a busy timeout. Writes go through one
 *       connection; reads open their own and run beside writes thanks to WAL.
 *   <li>PostgreSQL ({@code --database-url postgresql://…}): a HikariCP pool; writes and reads
 *       borrow connections from it, so a restarted database server is reconnected to.
 * </ul>
 *
 * Writes of this process run one at a time under a lock (SQLite has one writer anyway; on
 * PostgreSQL it keeps the audit chain's read-then-append in order).
 */
public final class Database implements AutoCloseable {

  /** Work done with a connection; throw to roll back. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final int BUSY_TIMEOUT_MS = 5_000;
  // How long an RPC waits for a pooled PostgreSQL connection before it answers UNAVAILABLE.
  private static final long POOL_WAIT_MS = 3_000;
  private static final int POOL_SIZE = 8;

  private final SqlDialect dialect;
  private final DataSource dataSource;
  // SQLite's one writer connection; null on PostgreSQL, where writes borrow from the pool.
  private final Connection sqliteWriter;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicLong generation = new AtomicLong();
  private final String location;

  private Database(
      SqlDialect dialect, DataSource dataSource, Connection sqliteWriter, String location) {
    this.dialect = dialect;
    this.dataSource = dataSource;
    this.sqliteWriter = sqliteWriter;
    this.location = location;
  }

  /** Opens (creating when missing) and migrates the SQLite database file. */
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
    migrate(dataSource, SqlDialect.SQLITE, file.toString());
    try {
      Connection writer = dataSource.getConnection();
      writer.setAutoCommit(false);
      return new Database(SqlDialect.SQLITE, dataSource, writer, file.toString());
    } catch (SQLException e) {
      throw new InventoryException("cannot open the inventory database " + file, e);
    }
  }

  /**
   * Connects to and migrates the PostgreSQL database, with the default {@link PostgresTimeouts}.
   * Fails at once, naming the URL without its password, when the server cannot be reached or
   * refuses the login.
   */
  public static Database open(PostgresUrl url) {
    return open(url, PostgresTimeouts.defaults());
  }

  /**
   * Like {@link #open(PostgresUrl)}, waiting on a silent connection as long as {@code timeouts}.
   */
  public static Database open(PostgresUrl url, PostgresTimeouts timeouts) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("debvisor-inventory");
    config.setJdbcUrl(url.jdbcUrl());
    config.setUsername(url.user());
    config.setPassword(url.password());
    config.setAutoCommit(false);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setConnectionTimeout(POOL_WAIT_MS);
    // Fail on the first connection attempt at start instead of retrying in the background.
    config.setInitializationFailTimeout(1);
    timeouts.configurePool(config);
    config.addDataSourceProperty("ApplicationName", "debvisor-controller");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new InventoryException(
          "cannot connect to the inventory database "
              + url.redacted()
              + ": "
              + Causes.rootMessage(e)
              + "; check that PostgreSQL runs there, accepts TCP connections and this user's"
              + " password (--database-url or $DEBVISOR_DATABASE_PASSWORD)",
          e,
          true);
    }
    try {
      migrate(
          PostgresTimeouts.migrationSource(url, timeouts), SqlDialect.POSTGRESQL, url.redacted());
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new Database(SqlDialect.POSTGRESQL, pool, null, url.redacted());
  }

  private static void migrate(DataSource dataSource, SqlDialect dialect, String location) {
    try {
      Migrations.apply(dataSource, dialect, location);
      AgentHostBackfill.run(dataSource);
    } catch (InventoryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InventoryException(
          "cannot migrate the inventory database " + location + ": " + e.getMessage(),
          e,
          dialect.isTransient(e));
    } catch (SQLException e) {
      throw new InventoryException(
          "cannot fill in the agent hosts of the inventory database "
              + location
              + ": "
              + e.getMessage(),
          e,
          dialect.isTransient(e));
    }
  }

  /** The engine behind this database. */
  public SqlDialect dialect() {
    return dialect;
  }

  /** The file or the URL without password, for messages. */
  public String location() {
    return location;
  }

  /**
   * A read-only connection to an existing SQLite file without migrating it, for tools that inspect
   * the file (audit verify) while a controller may be running.
   */
  public static Connection readOnlyConnection(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setOpenMode(org.sqlite.SQLiteOpenMode.READONLY);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  /**
   * A read-only connection to an existing PostgreSQL inventory without migrating it, for tools that
   * inspect it (audit verify) while controllers run.
   */
  public static Connection readOnlyConnection(PostgresUrl url) throws SQLException {
    org.postgresql.ds.PGSimpleDataSource source = new org.postgresql.ds.PGSimpleDataSource();
    source.setUrl(url.jdbcUrl());
    source.setUser(url.user());
    source.setPassword(url.password());
    source.setReadOnly(true);
    source.setConnectTimeout(5);
    source.setApplicationName("debvisor");
    return source.getConnection();
  }

  /** Runs {@code work} in one committed transaction; any exception rolls it back. */
  public <T> T write(SqlWork<T> work) {
    return transaction(work, false);
  }

  /**
   * Like {@link #write}, but the commit does not wait for the disk (SQLite: synchronous=NORMAL;
   * PostgreSQL: synchronous_commit off), for data that may be lost on power loss without harm —
   * heartbeats, which the next one replaces. The database stays consistent, the commit is visible
   * at once, and the next durable commit makes this one durable too. Never for audited changes.
   */
  public <T> T writeWithoutSync(SqlWork<T> work) {
    return transaction(work, true);
  }

  /**
   * How many durable writes ({@link #write}) this process has committed: a reader that kept
   * something built from the inventory at one generation knows it is out of date when this has
   * moved. Writes without sync (heartbeats) and other processes' writes do not move it.
   */
  public long generation() {
    return generation.get();
  }

  private <T> T transaction(SqlWork<T> work, boolean relaxed) {
    writeLock.lock();
    Connection writer = null;
    try {
      writer = sqliteWriter != null ? sqliteWriter : dataSource.getConnection();
      if (relaxed) {
        dialect.relaxDurability(writer);
      }
      try {
        T result = work.run(writer);
        writer.commit();
        if (!relaxed) {
          generation.incrementAndGet();
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(writer);
        throw e;
      } finally {
        if (relaxed) {
          dialect.restoreDurability(writer);
        }
      }
    } catch (SQLException e) {
      throw failure("write", e);
    } finally {
      releaseWriter(writer);
      writeLock.unlock();
    }
  }

  private void releaseWriter(Connection writer) {
    if (writer != null && writer != sqliteWriter) {
      try {
        writer.close();
      } catch (SQLException ignored) {
        // Returning a broken connection: the pool drops it.
      }
    }
  }

  private InventoryException failure(String what, SQLException e) {
    return new InventoryException(
        "inventory " + what + " failed (" + location + "): " + e,
        e,
        dialect.isTransient(e),
        location);
  }

  /**
   * The SQLite writer connection's current {@code PRAGMA synchronous} (2 = FULL, 1 = NORMAL); a
   * check for tests of {@link #writeWithoutSync}.
   */
  public int writerSynchronous() {
    if (sqliteWriter == null) {
      throw new UnsupportedOperationException("PRAGMA synchronous is SQLite's");
    }
    writeLock.lock();
    try (java.sql.Statement s = sqliteWriter.createStatement();
        java.sql.ResultSet r = s.executeQuery("PRAGMA synchronous")) {
      r.next();
      int level = r.getInt(1);
      sqliteWriter.commit();
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
      T result;
      try {
        dialect.beginRead(connection);
        result = work.run(connection);
      } catch (SQLException | RuntimeException e) {
        // A rollback on a connection the server just dropped fails too; the first failure is
        // the one that says what happened (and whether a retry may work).
        rollback(connection);
        throw e;
      }
      rollback(connection);
      return result;
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  private static void rollback(Connection writer) {
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
      if (sqliteWriter != null) {
        sqliteWriter.close();
      }
      if (dataSource instanceof AutoCloseable pool) {
        pool.close();
      }
    } catch (Exception ignored) {
      // Closing at shutdown: nothing left to do.
    } finally {
      writeLock.unlock();
    }
  }
}
