package org.debvisor.controller.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.PostgresUrl;
import picocli.CommandLine.Option;

/**
 * {@code --state-dir} and {@code --database-url} of the commands that read the inventory straight
 * from its database, read-only, with or without a running controller.
 */
final class InventoryReadOptions {

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "State directory (default: $DEBVISOR_STATE_DIR or /var/lib/debvisor-controller).")
  Path stateDir;

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description = {
        "Read PostgreSQL instead: postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (default:",
        "$DEBVISOR_DATABASE_URL; password also from $DEBVISOR_DATABASE_PASSWORD)."
      })
  String databaseUrl;

  /** Why the inventory cannot be read, with the exit code the command ends with. */
  static final class Refused extends Exception {
    private final int exitCode;

    Refused(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }

    int exitCode() {
      return exitCode;
    }
  }

  /**
   * The inventory to read.
   *
   * @param postgres the PostgreSQL database, if one was named
   * @param sqlite the SQLite file otherwise
   */
  record Location(Optional<PostgresUrl> postgres, Path sqlite) {

    /** Names it in messages, without a password. */
    String where() {
      return postgres.map(PostgresUrl::redacted).orElse(sqlite.toString());
    }

    Connection openReadOnly() throws SQLException {
      return postgres.isPresent()
          ? Database.readOnlyConnection(postgres.get())
          : Database.readOnlyConnection(sqlite);
    }
  }

  /**
   * @throws Refused a malformed URL (invalid arguments) or no readable SQLite file
   */
  Location locate(Map<String, String> env) throws Refused {
    Optional<PostgresUrl> postgres;
    try {
      postgres = DatabaseUrlOption.resolve(databaseUrl, env);
    } catch (IllegalArgumentException e) {
      throw new Refused(DebvisorCli.EXIT_INVALID, e.getMessage());
    }
    Path file = StateDirectory.resolve(stateDir, env).resolve("controller.db");
    if (postgres.isEmpty() && !Files.isReadable(file)) {
      throw new Refused(
          DebvisorCli.EXIT_FAILURE,
          file + " does not exist or is not readable; pass --state-dir or --database-url");
    }
    return new Location(postgres, file);
  }
}
