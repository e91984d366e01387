package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.debvisor.controller.backup.BackupException;
import org.debvisor.controller.backup.CaKeyCipher;
import org.debvisor.controller.backup.ControllerRestore;
import org.debvisor.controller.backup.Passphrase;
import org.debvisor.controller.backup.PostgresRestore;
import org.debvisor.controller.backup.RestoreResult;
import org.debvisor.controller.cli.output.OutputFormat;
import org.debvisor.controller.inventory.PostgresUrl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code debvisor restore} (also {@code debvisor-restore}): the controller's state from a backup.
 */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore the controller's state directory from a `debvisor backup`. First checks the "
          + "manifest, every file's SHA-256, the passphrase and the schema version, and that no "
          + "controller runs on the state directory; only then writes. A state directory that holds "
          + "state is refused unless --force, which moves it aside (<state-dir>.before-restore-TIME).",
      "An older schema is migrated. Enrolled nodes keep their certificates: the CA is the same.",
      "A backup of a PostgreSQL inventory is restored with --database-url into an EMPTY "
          + "database (--force replaces a non-empty one's inventory); its files go to --state-dir."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:restored (or, with --dry-run, would restore)",
      "1:the restore failed part-way; the state directory was left as it was",
      "2:refused: damaged or newer backup, wrong passphrase, controller running, state not empty"
    })
final class RestoreCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BackupOptions options;

  @Option(
      names = "--force",
      description = "Restore over a state directory that holds state, moving that state aside.")
  boolean force;

  @Option(
      names = "--dry-run",
      description = "Check the backup and say what a restore would do; change nothing.")
  boolean dryRun;

  private final Map<String, String> env;

  RestoreCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RestoreResult result;
    try {
      Passphrase passphrase = Passphrase.read(options.passphraseFile);
      Optional<PostgresUrl> database = options.database(env);
      result =
          database.isPresent()
              ? new PostgresRestore(
                      VersionProvider.current(),
                      new CaKeyCipher(CaKeyCipher.DEFAULT_ITERATIONS),
                      Clock.systemUTC(),
                      BackupOptions.actor(),
                      BackupOptions.progressTo(err, "restore"))
                  .restore(
                      options.path,
                      database.get(),
                      StateDirectory.resolve(options.stateDir, env),
                      passphrase,
                      force,
                      dryRun)
              : new ControllerRestore(
                      VersionProvider.current(),
                      new CaKeyCipher(CaKeyCipher.DEFAULT_ITERATIONS),
                      Clock.systemUTC(),
                      BackupOptions.actor(),
                      BackupOptions.progressTo(err, "restore"))
                  .restore(
                      options.path,
                      StateDirectory.resolve(options.stateDir, env),
                      passphrase,
                      force,
                      dryRun);
    } catch (BackupException e) {
      return BackupOptions.report(e, err);
    }
    if (options.output == OutputFormat.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("stateDir", result.stateDir().toString());
      json.put("backup", result.backup().toString());
      json.put("dryRun", result.dryRun());
      json.put("movedAside", result.movedAside().map(Object::toString).orElse(null));
      json.put("schemaFrom", result.schemaFrom());
      json.put("schemaTo", result.schemaTo());
      json.put("nodes", result.manifest().nodes());
      json.put("actions", result.actions());
      out.println(FleetQuery.json(json));
    } else {
      out.println((result.dryRun() ? "would restore: " : "restored: ") + result.stateDir());
      out.println("from:     " + result.backup() + " (" + result.manifest().createdAt() + ")");
      out.println("schema:   " + result.schemaFrom() + " -> " + result.schemaTo());
      out.println("nodes:    " + result.manifest().nodes());
      result.movedAside().ifPresent(a -> out.println("old state: " + a));
    }
    return 0;
  }
}
