package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.PostgresUrl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code debvisor audit verify}: checks the audit log's hash chain in the database. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Read the audit log straight from <state-dir>/controller.db, or from the PostgreSQL database "
          + "of --database-url (read-only; the controller may keep running) and check that every entry "
          + "links to the one before and hashes to its stored hash."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the chain is intact",
      "1:an entry was changed, removed or inserted (the first one is named), or the database cannot be read",
      "2:invalid arguments"
    })
final class AuditVerifyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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

  private final Map<String, String> env;

  AuditVerifyCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Optional<PostgresUrl> postgres;
    try {
      postgres = DatabaseUrlOption.resolve(databaseUrl, env);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return DebvisorCli.EXIT_INVALID;
    }
    Path file = StateDirectory.resolve(stateDir, env).resolve("controller.db");
    if (postgres.isEmpty() && !Files.isReadable(file)) {
      err.println(
          "error: "
              + file
              + " does not exist or is not readable; pass --state-dir or --database-url");
      return DebvisorCli.EXIT_FAILURE;
    }
    String where = postgres.map(PostgresUrl::redacted).orElse(file.toString());
    AuditVerifier.Result result;
    try (Connection connection =
        postgres.isPresent()
            ? Database.readOnlyConnection(postgres.get())
            : Database.readOnlyConnection(file)) {
      result = new AuditVerifier().verify(connection);
    } catch (SQLException e) {
      err.println("error: cannot read the audit log in " + where + ": " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    }
    if (result.intact()) {
      spec.commandLine()
          .getOut()
          .println("audit log intact: " + result.checked() + " entries verified in " + where);
      return 0;
    }
    err.println(
        "audit log BROKEN at entry "
            + result.brokenSeq()
            + ": "
            + result.problem()
            + " ("
            + result.checked()
            + " entries before it verified)");
    return DebvisorCli.EXIT_FAILURE;
  }
}
