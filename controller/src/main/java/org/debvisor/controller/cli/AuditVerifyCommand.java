package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.debvisor.controller.audit.AuditVerifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

  @Mixin InventoryReadOptions database;

  private final Map<String, String> env;

  AuditVerifyCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    InventoryReadOptions.Location inventory;
    try {
      inventory = database.locate(env);
    } catch (InventoryReadOptions.Refused e) {
      err.println("error: " + e.getMessage());
      return e.exitCode();
    }
    String where = inventory.where();
    AuditVerifier.Result result;
    try (Connection connection = inventory.openReadOnly()) {
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
