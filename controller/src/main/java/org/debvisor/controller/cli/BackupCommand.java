package org.debvisor.controller.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.debvisor.controller.backup.BackupException;
import org.debvisor.controller.backup.BackupResult;
import org.debvisor.controller.backup.CaKeyCipher;
import org.debvisor.controller.backup.ControllerBackup;
import org.debvisor.controller.backup.Passphrase;
import org.debvisor.controller.backup.PostgresBackup;
import org.debvisor.controller.cli.output.OutputFormat;
import org.debvisor.controller.inventory.PostgresUrl;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code debvisor backup} (also {@code debvisor-backup}): an online backup of the controller. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Back up the controller's state while it runs: an online snapshot of controller.db (or, "
          + "with --database-url, a pg_dump of the PostgreSQL inventory), the "
          + "CA key (encrypted with the passphrase, PKCS#8), the CA certificate, the operator token "
          + "and a manifest with the DebVisor and schema versions, node count and SHA-256 of every "
          + "file. Written into a hidden sibling of --path and renamed at the end, files 0600.",
      "Restore with `debvisor restore`; see docs/backup.md."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:backup complete",
      "1:the backup failed (disk full, I/O error); nothing was left at --path",
      "2:refused: --path not empty, no state directory, bad passphrase file or arguments"
    })
final class BackupCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BackupOptions options;

  private final Map<String, String> env;

  BackupCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BackupResult result;
    try {
      Passphrase passphrase = Passphrase.read(options.passphraseFile);
      Optional<PostgresUrl> database = options.database(env);
      result =
          database.isPresent()
              ? new PostgresBackup(
                      VersionProvider.current(),
                      new CaKeyCipher(CaKeyCipher.DEFAULT_ITERATIONS),
                      Clock.systemUTC(),
                      BackupOptions.actor(),
                      BackupOptions.progressTo(err, "backup"))
                  .backup(
                      database.get(),
                      StateDirectory.resolve(options.stateDir, env),
                      options.path,
                      passphrase)
              : new ControllerBackup(
                      VersionProvider.current(),
                      new CaKeyCipher(CaKeyCipher.DEFAULT_ITERATIONS),
                      Clock.systemUTC(),
                      BackupOptions.actor(),
                      BackupOptions.progressTo(err, "backup"))
                  .backup(StateDirectory.resolve(options.stateDir, env), options.path, passphrase);
    } catch (BackupException e) {
      return BackupOptions.report(e, err);
    }
    if (options.output == OutputFormat.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("path", result.path().toString());
      json.put("engine", result.manifest().engine());
      json.put("bytes", result.bytes());
      json.put("manifest", result.manifest());
      out.println(FleetQuery.json(json));
    } else {
      out.println("backup:   " + result.path());
      out.println("created:  " + result.manifest().createdAt());
      out.println("version:  DebVisor " + result.manifest().debvisorVersion());
      out.println("engine:   " + result.manifest().engine());
      out.println("schema:   " + result.manifest().schemaVersion());
      out.println("nodes:    " + result.manifest().nodes());
      out.println(
          "files:    " + result.manifest().files().size() + " (" + result.bytes() + " bytes)");
    }
    return 0;
  }
}
