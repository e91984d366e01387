package org.debvisor.controller.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.debvisor.common.digest.Sha256;
import org.debvisor.common.pem.Pem;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.state.RestoreJournal;
import org.debvisor.controller.state.StateLock;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Restores a backup of a PostgreSQL inventory into the database of --database-url, which must be
 * empty (or, with --force, the dump's objects in it are replaced), then migrates it forward with
 * Flyway and audits the restore; the backup's other files go into the state directory. Everything
 * is checked before anything is touched, and pg_restore loads in one transaction, so a refused or
 * failed load leaves the target as it was.
 */
public final class PostgresRestore {

  private final String debvisorVersion;
  private final CaKeyCipher cipher;
  private final Clock clock;
  private final String actor;
  private final BackupProgress progress;

  public PostgresRestore(
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

  public RestoreResult restore(
      Path backup,
      PostgresUrl url,
      Path stateDir,
      Passphrase passphrase,
      boolean force,
      boolean dryRun)
      throws BackupException {
    Path path = backup.toAbsolutePath().normalize();
    Path state = stateDir.toAbsolutePath().normalize();
    BackupManifest manifest = verify(path);
    Optional<PrivateKey> caKey = caKey(path, manifest, passphrase);
    String digest = manifestSha256(path);
    Optional<RestoreJournal> journal = journalIn(state);
    boolean resuming = journal.isPresent() && journal.get().isOf(digest, url.redacted());
    if (journal.isPresent() && !resuming && !force) {
      RestoreJournal other = journal.get();
      throw BackupException.refused(
          state
              + " holds an unfinished restore of "
              + other.backup()
              + " into "
              + other.target()
              + "; finish that one (re-run `debvisor restore --path "
              + other.backup()
              + "` with that --database-url), or pass --force to restore this backup instead;"
              + " nothing was changed");
    }
    PostgresInventory target = new PostgresInventory(url);
    List<String> tables;
    MigrationVersion latest;
    try {
      tables = target.tables();
      latest = target.latestKnownSchema();
    } catch (SQLException | RuntimeException e) {
      throw BackupException.refused(
          "cannot connect to the target database "
              + url.redacted()
              + ": "
              + ControllerBackup.describe(e)
              + "; check --database-url (or $DEBVISOR_DATABASE_URL and"
              + " $DEBVISOR_DATABASE_PASSWORD) and that PostgreSQL runs there; nothing was changed");
    }
    MigrationVersion dumped =
        manifest.schemaVersion().equals("none")
            ? MigrationVersion.EMPTY
            : MigrationVersion.fromVersion(manifest.schemaVersion());
    if (dumped.compareTo(latest) > 0) {
      throw BackupException.refused(
          PostgresBackup.DUMP
              + " has schema version "
              + manifest.schemaVersion()
              + ", newer than this DebVisor knows ("
              + latest
              + "); restore it with DebVisor "
              + manifest.debvisorVersion()
              + " or newer; nothing was changed");
    }
    if (!tables.isEmpty() && !force && !resuming) {
      throw BackupException.refused(
          "the target database "
              + url.redacted()
              + " is not empty ("
              + tables.size()
              + " tables, e.g. "
              + String.join(", ", tables.subList(0, Math.min(3, tables.size())))
              + "); restore into an empty database, or pass --force to replace its inventory;"
              + " nothing was changed");
    }
    List<BackupManifest.FileEntry> stateFiles =
        manifest.files().stream().filter(f -> !f.path().equals(PostgresBackup.DUMP)).toList();
    checkStateDir(state, force || resuming);

    List<String> actions = new ArrayList<>();
    if (resuming) {
      actions.add(
          "finish the interrupted restore of this backup recorded in "
              + state.resolve(RestoreJournal.FILE_NAME)
              + " (the dump is loaded again only if that restore's load never committed)");
    } else {
      actions.add(
          (tables.isEmpty() ? "load " : "replace the inventory in the non-empty ")
              + url.redacted()
              + " from "
              + PostgresBackup.DUMP
              + " ("
              + manifest.nodes()
              + " nodes, schema "
              + manifest.schemaVersion()
              + ")");
    }
    if (dumped.compareTo(latest) < 0) {
      actions.add("migrate the schema from " + manifest.schemaVersion() + " to " + latest);
    }
    actions.add("append a controller.restore entry to the audit log");
    if (!stateFiles.isEmpty()) {
      actions.add("write " + stateFiles.size() + " files into " + state);
    }
    RestoreResult result =
        new RestoreResult(
            state,
            path,
            manifest,
            Optional.empty(),
            manifest.schemaVersion(),
            latest.toString(),
            dryRun,
            actions);
    if (dryRun) {
      actions.forEach(a -> progress.step("would " + a));
      return result;
    }
    try {
      if (!Files.isDirectory(state)) {
        DurableFiles.createPrivateDirectory(state);
      }
    } catch (IOException e) {
      throw BackupException.failed(
          "cannot create the state directory " + state + ": " + ControllerBackup.describe(e), e);
    }
    // Held to the end: a controller cannot start on the state directory while this runs.
    try (StateLock lock = StateLock.acquire(state, "restore")) {
      RestoreJournal loaded =
          load(target, path, state, resuming ? journal : Optional.empty(), digest);
      finish(target, loaded, manifest, latest);
      try {
        writeStateFiles(path, state, stateFiles, caKey);
        RestoreJournal.remove(state);
      } catch (IOException e) {
        throw BackupException.failed(
            "the inventory was restored into "
                + url.redacted()
                + " but the state files could not be written to "
                + state
                + ": "
                + ControllerBackup.describe(e)
                + "; fix that and re-run the same restore to finish it",
            e);
      }
    } catch (StateLock.HeldException e) {
      throw BackupException.refused(
          "a controller is running on "
              + state
              + " ("
              + e.holder()
              + "); stop it first (systemctl stop debvisor-controller), then restore");
    } catch (IOException e) {
      throw BackupException.failed(
          "cannot lock the state directory " + state + ": " + ControllerBackup.describe(e), e);
    }
    progress.step("restore complete: " + url.redacted() + " (start the controller now)");
    return result;
  }

  /**
   * Loads the dump with pg_restore, journalled: the journal is fsynced before the load begins and
   * marked loaded after it. Resuming an interrupted restore, the load is skipped when that
   * restore's pg_restore committed (journal marked loaded, or the database no longer as noted
   * before it).
   */
  private RestoreJournal load(
      PostgresInventory target,
      Path backup,
      Path state,
      Optional<RestoreJournal> interrupted,
      String manifestSha256)
      throws BackupException {
    PostgresUrl url = target.url();
    try {
      if (interrupted.isPresent()) {
        RestoreJournal earlier = interrupted.get();
        if (earlier.phase().equals(RestoreJournal.LOADED)
            || !target.fingerprint().equals(earlier.targetBefore())) {
          progress.step("the interrupted restore's load had committed; not loading again");
          RestoreJournal loaded = earlier.loaded();
          loaded.write(state);
          return loaded;
        }
        progress.step("the interrupted restore's load never committed; loading again");
      }
      RestoreJournal journal =
          new RestoreJournal(
              backup.toString(),
              manifestSha256,
              url.redacted(),
              target.fingerprint(),
              RestoreJournal.LOADING);
      boolean replace = !target.tables().isEmpty();
      journal.write(state);
      PostgresClientTools tools = PostgresClientTools.find();
      progress.step("pg_restore into " + url.redacted() + " (one transaction)");
      try {
        tools.restore(url, backup.resolve(PostgresBackup.DUMP), replace);
      } catch (IOException e) {
        // Its one transaction rolled back: nothing is half done, so no journal stays behind.
        RestoreJournal.remove(state);
        throw e;
      }
      RestoreJournal loaded = journal.loaded();
      loaded.write(state);
      return loaded;
    } catch (IOException | SQLException e) {
      throw BackupException.failed(
          "restore into "
              + url.redacted()
              + " failed: "
              + ControllerBackup.describe(e)
              + "; the database was left as it was",
          e);
    }
  }

  /**
   * Migrates the loaded inventory and appends the controller.restore entry, once: a resumed restore
   * whose entry is already the last one does not append another.
   */
  private void finish(
      PostgresInventory target,
      RestoreJournal journal,
      BackupManifest manifest,
      MigrationVersion latest)
      throws BackupException {
    PostgresUrl url = target.url();
    AuditEntry entry =
        new AuditEntry(
            actor,
            "controller.restore",
            "inventory",
            "local",
            "ok",
            "from "
                + journal.backup()
                + " (backup of "
                + manifest.createdAt()
                + ", manifest sha256 "
                + journal.manifestSha256()
                + ", schema "
                + manifest.schemaVersion()
                + " -> "
                + latest
                + ")");
    try (Connection lock = target.holdRestoreLock();
        Database db = Database.open(url)) {
      progress.step("migrate to schema " + latest + " and audit the restore");
      db.write(
          c -> {
            if (!auditedAlready(c, journal.manifestSha256())) {
              new AuditLog(clock).append(c, entry);
            }
            return null;
          });
    } catch (SQLException | InventoryException e) {
      throw BackupException.failed(
          "the dump was loaded into "
              + url.redacted()
              + " but: "
              + ControllerBackup.describe(e)
              + "; re-run the same restore to finish it (the controller will not start before)",
          e);
    }
  }

  /** Whether the last audit entry is this backup's restore (a resumed restore's second pass). */
  private static boolean auditedAlready(Connection c, String manifestSha256) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next()
          && rs.getString(1).equals("controller.restore")
          && rs.getString(2).contains("manifest sha256 " + manifestSha256);
    }
  }

  private static String manifestSha256(Path backup) throws BackupException {
    try {
      return Sha256.hex(backup.resolve(BackupManifest.FILE_NAME));
    } catch (IOException e) {
      throw BackupException.refused("cannot read the manifest in " + backup + ": " + e);
    }
  }

  private static Optional<RestoreJournal> journalIn(Path state) throws BackupException {
    try {
      return Files.isDirectory(state) ? RestoreJournal.read(state) : Optional.empty();
    } catch (IOException e) {
      throw BackupException.refused(
          "cannot read "
              + state.resolve(RestoreJournal.FILE_NAME)
              + ": "
              + e.getMessage()
              + "; if no restore runs, remove it and restore with --force");
    }
  }

  private BackupManifest verify(Path path) throws BackupException {
    if (!Files.isDirectory(path)) {
      throw BackupException.refused("--path " + path + " is not a directory (no backup there)");
    }
    BackupManifest manifest = BackupVerifier.readManifest(path);
    if (manifest.engine().equals(BackupManifest.SQLITE)) {
      // Loading controller.db's rows into PostgreSQL is not built; say so instead of a bare no.
      throw BackupException.refused(
          "the backup at "
              + path
              + " holds a SQLite controller.db, not a PostgreSQL dump: restore cannot move a SQLite"
              + " inventory into PostgreSQL (not supported yet). Restore it without"
              + " --database-url into a state directory; nothing was changed");
    }
    if (!manifest.engine().equals(BackupManifest.POSTGRESQL)) {
      throw BackupException.refused(
          "the backup at "
              + path
              + " holds a "
              + manifest.engine()
              + " inventory, which this DebVisor cannot restore; nothing was changed");
    }
    if (DebvisorVersions.isNewer(manifest.debvisorVersion(), debvisorVersion)) {
      throw BackupException.refused(
          "the backup was made by DebVisor "
              + manifest.debvisorVersion()
              + ", newer than this "
              + debvisorVersion
              + "; restore it with that version or newer");
    }
    if (manifest.files().stream().noneMatch(f -> f.path().equals(PostgresBackup.DUMP))) {
      throw BackupException.refused(
          BackupManifest.FILE_NAME + " does not list " + PostgresBackup.DUMP + "; not a backup");
    }
    for (BackupManifest.FileEntry file : manifest.files()) {
      BackupVerifier.checkFile(path, file);
    }
    progress.step("checksums: " + manifest.files().size() + " files intact");
    return manifest;
  }

  /** The CA key of a backup that carries it as a file; empty when the dump carries the CA. */
  private Optional<PrivateKey> caKey(Path path, BackupManifest manifest, Passphrase passphrase)
      throws BackupException {
    List<String> listed = manifest.files().stream().map(BackupManifest.FileEntry::path).toList();
    if (!listed.contains(StateLayout.ENCRYPTED_CA_KEY)) {
      return Optional.empty();
    }
    if (!listed.contains(StateLayout.CA_CERT)) {
      throw BackupException.refused(
          BackupManifest.FILE_NAME + " lists the CA key but not " + StateLayout.CA_CERT);
    }
    X509Certificate certificate;
    String encrypted;
    try {
      certificate =
          Pem.certificate(
              Files.readString(path.resolve(StateLayout.CA_CERT), StandardCharsets.US_ASCII));
      encrypted =
          Files.readString(path.resolve(StateLayout.ENCRYPTED_CA_KEY), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw BackupException.refused("cannot read the CA in the backup: " + e.getMessage());
    }
    PrivateKey key =
        cipher.decrypt(encrypted, passphrase, certificate, StateLayout.ENCRYPTED_CA_KEY);
    progress.step("passphrase: the CA key decrypts and matches the CA certificate");
    return Optional.of(key);
  }

  private static void checkStateDir(Path state, boolean force) throws BackupException {
    try {
      if (Files.isDirectory(state)) {
        Optional<String> holder = StateLock.holder(state);
        if (holder.isPresent()) {
          throw BackupException.refused(
              "a controller is running on "
                  + state
                  + " ("
                  + holder.get()
                  + "); stop it first (systemctl stop debvisor-controller), then restore");
        }
      }
      if (!force && !StateLayout.isEmpty(state)) {
        throw BackupException.refused(
            state
                + " is not empty; restore into an empty --state-dir, or pass --force to replace"
                + " the backup's files in it; nothing was changed");
      }
    } catch (IOException e) {
      throw BackupException.refused("cannot read the state directory " + state + ": " + e);
    }
  }

  private void writeStateFiles(
      Path backup, Path state, List<BackupManifest.FileEntry> files, Optional<PrivateKey> caKey)
      throws IOException {
    if (files.isEmpty()) {
      return;
    }
    if (!Files.isDirectory(state)) {
      DurableFiles.createPrivateDirectory(state);
    }
    for (BackupManifest.FileEntry file : files) {
      if (file.path().equals(StateLayout.ENCRYPTED_CA_KEY) && caKey.isPresent()) {
        progress.step("write " + StateLayout.CA_KEY + " (decrypted)");
        Path target = state.resolve(StateLayout.CA_KEY);
        Path temporary = temporaryFor(target);
        DurableFiles.write(
            temporary, Pem.encode(caKey.get()).getBytes(StandardCharsets.US_ASCII), "600");
        replace(temporary, target);
      } else {
        progress.step("write " + file.path());
        Path target = state.resolve(file.path());
        Path temporary = temporaryFor(target);
        DurableFiles.copy(backup.resolve(file.path()), temporary, file.mode());
        replace(temporary, target);
      }
    }
    DurableFiles.syncTree(state);
  }

  /** A hidden sibling a file is written in first (a backup never copies such temporaries). */
  private static Path temporaryFor(Path target) throws IOException {
    Path temporary = target.resolveSibling("." + target.getFileName() + ".restore.tmp");
    Files.deleteIfExists(temporary);
    return temporary;
  }

  /** Renames {@code temporary} over {@code target}: a reader sees the old file or the new one. */
  private static void replace(Path temporary, Path target) throws IOException {
    Files.move(
        temporary,
        target,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
