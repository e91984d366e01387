package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.debvisor.controller.backup.BackupException;
import org.debvisor.controller.backup.BackupProgress;
import org.debvisor.controller.cli.output.OutputFormat;
import picocli.CommandLine.Option;

/** Options {@code debvisor backup} and {@code debvisor restore} share. */
final class BackupOptions {

  @Option(
      names = "--path",
      required = true,
      paramLabel = "DIR",
      description = "The backup directory.")
  Path path;

  @Option(
      names = "--passphrase-file",
      required = true,
      paramLabel = "FILE",
      description = {
        "File whose first line is the passphrase of the CA key in the backup (at least 12 "
            + "characters; keep it apart from the backup, mode 0600)."
      })
  Path passphraseFile;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Controller state directory (default: $DEBVISOR_STATE_DIR or /var/lib/debvisor-controller).")
  Path stateDir;

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description = {
        "A PostgreSQL inventory: postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (default:",
        "$DEBVISOR_DATABASE_URL; password better from $DEBVISOR_DATABASE_PASSWORD). Backup runs "
            + "pg_dump on it; restore loads into it (an empty database unless --force)."
      })
  String databaseUrl;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}); progress goes to stderr.")
  OutputFormat output;

  /** Progress lines on stderr, so stdout stays the result alone. */
  static BackupProgress progressTo(PrintWriter err, String command) {
    return step -> {
      err.println(command + ": " + step);
      err.flush();
    };
  }

  /** Prints the error and returns the exit code: 2 for refused input, 1 for a failure. */
  static int report(BackupException e, PrintWriter err) {
    err.println("error: " + e.getMessage());
    return e.badInput() ? DebvisorCli.EXIT_INVALID : DebvisorCli.EXIT_FAILURE;
  }

  /** The PostgreSQL inventory of --database-url or the environment; empty for SQLite. */
  java.util.Optional<org.debvisor.controller.inventory.PostgresUrl> database(
      java.util.Map<String, String> env) throws BackupException {
    try {
      return DatabaseUrlOption.resolve(databaseUrl, env);
    } catch (IllegalArgumentException e) {
      throw BackupException.refused(e.getMessage());
    }
  }

  static String actor() {
    return "local:" + System.getProperty("user.name", "unknown");
  }
}
