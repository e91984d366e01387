package org.debvisor.controller.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.common.pem.Pem;
import org.debvisor.controller.audit.AuditEntry;

/**
 * Backs up a controller whose inventory is PostgreSQL: a {@code pg_dump} (custom format, one
 * snapshot while controllers run) instead of controller.db, and the state directory's files as a
 * SQLite backup has them. When the CA lives in the database (shared_ca) the dump carries it, key
 * encrypted; otherwise pki/ca.key is encrypted with the passphrase as for SQLite. Same staging,
 * manifest and checksums as {@link ControllerBackup}.
 */
public final class PostgresBackup {

  /** The dump's name inside a backup. */
  public static final String DUMP = "inventory.pgdump";

  private final String debvisorVersion;
  private final CaKeyCipher cipher;
  private final Clock clock;
  private final String actor;
  private final BackupProgress progress;

  public PostgresBackup(
      String debvisorVersion,
      CaKeyCipher cipher,
      Clock clock,
      String actor,
      BackupProgress progress) {
    this.debvisorVersion = debvisorVersion;
    this.cipher = cipher;
    this.clock = clock;
    this.actor = actor;
    this.progress = progress;
  }

  public BackupResult backup(
      org.debvisor.controller.inventory.PostgresUrl url,
      Path stateDir,
      Path target,
      Passphrase passphrase)
      throws BackupException {
    Path path = target.toAbsolutePath().normalize();
    ControllerBackup.checkTarget(path);
    PostgresClientTools tools = PostgresClientTools.find();
    PostgresInventory live = new PostgresInventory(url);
    PostgresInventory.Facts before;
    try {
      before = live.facts();
    } catch (SQLException e) {
      throw BackupException.refused(
          "cannot read the inventory "
              + url.redacted()
              + ": "
              + e.getMessage()
              + "; check --database-url (or $DEBVISOR_DATABASE_URL and"
              + " $DEBVISOR_DATABASE_PASSWORD) and that PostgreSQL runs there");
    }
    Path caKeyFile = stateDir.resolve(StateLayout.CA_KEY);
    if (!before.sharedCa() && !Files.isRegularFile(caKeyFile)) {
      throw BackupException.refused(
          "the CA is neither in the database (shared_ca is empty) nor in "
              + caKeyFile
              + "; pass the controller's --state-dir (or $DEBVISOR_STATE_DIR)");
    }
    PrivateKey caKey = before.sharedCa() ? null : readCaKey(caKeyFile);
    return StagedBackup.write(
        path,
        "pg_dump to " + path,
        (result, detail) -> live.audit(entry(result, detail), clock),
        staging -> write(tools, live, stateDir, staging, caKey, passphrase),
        progress);
  }

  private BackupManifest write(
      PostgresClientTools tools,
      PostgresInventory live,
      Path stateDir,
      Path staging,
      PrivateKey caKey,
      Passphrase passphrase)
      throws IOException, SQLException {
    List<BackupManifest.FileEntry> files = new ArrayList<>();
    Path dump = staging.resolve(DUMP);
    progress.step("pg_dump of " + live.url().redacted() + " (custom format, one snapshot)");
    DurableFiles.createEmpty(dump, "600");
    tools.dump(live.url(), dump);
    DurableFiles.sync(dump);
    files.add(StagedBackup.fileEntry(staging, DUMP, "600"));
    // Counted after the dump; the dump itself is one snapshot, these figures are for people.
    PostgresInventory.Facts facts = live.facts();
    progress.step(
        "  schema "
            + facts.schemaVersion()
            + ", "
            + facts.nodes()
            + " nodes, "
            + facts.auditEntries()
            + " audit entries, "
            + Files.size(dump)
            + " bytes"
            + (facts.sharedCa() ? ", CA in shared_ca" : ""));
    if (caKey != null) {
      progress.step("CA key, encrypted (PKCS#8, PBES2 PBKDF2-SHA256 AES-256-CBC)");
      DurableFiles.write(
          staging.resolve(StateLayout.ENCRYPTED_CA_KEY),
          cipher.encrypt(caKey, passphrase).getBytes(StandardCharsets.US_ASCII),
          "600");
      files.add(StagedBackup.fileEntry(staging, StateLayout.ENCRYPTED_CA_KEY, "600"));
    }
    for (String name : stateFiles(stateDir)) {
      progress.step("copy " + name);
      DurableFiles.copy(stateDir.resolve(name), staging.resolve(name), "600");
      files.add(StagedBackup.fileEntry(staging, name, DurableFiles.modeOf(stateDir.resolve(name))));
    }
    BackupManifest manifest =
        new BackupManifest(
            BackupManifest.FORMAT,
            BackupManifest.POSTGRESQL,
            debvisorVersion,
            facts.schemaVersion(),
            clock.instant().toString(),
            facts.nodes(),
            facts.auditEntries(),
            files);
    StagedBackup.writeManifest(staging, manifest);
    progress.step("manifest: " + files.size() + " files with SHA-256");
    return manifest;
  }

  /** The state directory's files a backup copies as they are (none when it does not exist). */
  private static List<String> stateFiles(Path stateDir) throws IOException {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(stateDir)) {
      return names;
    }
    for (String name : List.of(StateLayout.CA_CERT, StateLayout.OPERATOR_TOKEN)) {
      if (Files.isRegularFile(stateDir.resolve(name))) {
        names.add(name);
      }
    }
    names.addAll(StateLayout.extraFiles(stateDir));
    return names;
  }

  private AuditEntry entry(String result, String detail) {
    return new AuditEntry(actor, "controller.backup", "inventory", "local", result, detail);
  }

  private static PrivateKey readCaKey(Path file) throws BackupException {
    try {
      return Pem.privateKey(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw BackupException.refused("cannot read the CA key " + file + ": " + e.getMessage());
    }
  }
}
