package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.inventory.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code debvisor audit verify}: checks the audit log's hash chain in the database file. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Read the audit log straight from <state-dir>/controller.db (read-only; the controller may",
      "keep running) and check that every entry links to the one before and hashes to its",
      "stored hash."
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

  private final Map<String, String> env;

  AuditVerifyCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Path file = StateDirectory.resolve(stateDir, env).resolve("controller.db");
    if (!Files.isReadable(file)) {
      err.println("error: " + file + " does not exist or is not readable; pass --state-dir");
      return DebvisorCli.EXIT_FAILURE;
    }
    AuditVerifier.Result result;
    try (Connection connection = Database.readOnlyConnection(file)) {
      result = new AuditVerifier().verify(connection);
    } catch (SQLException e) {
      err.println("error: cannot read the audit log in " + file + ": " + e.getMessage());
      return DebvisorCli.EXIT_FAILURE;
    }
    if (result.intact()) {
      spec.commandLine()
          .getOut()
          .println("audit log intact: " + result.checked() + " entries verified in " + file);
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
