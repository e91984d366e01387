package org.debvisor.controller.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.common.pem.Pem;
import org.debvisor.controller.audit.AuditEntry;

/**
 * Backs up a controller's state directory while the controller runs: an online snapshot of the
 * database, the CA key encrypted with a passphrase, the CA certificate, the operator token and any
 * other state file, with a manifest of checksums. Everything is written (0600) into a hidden
 * sibling of the target and renamed to it at the end, so a cut backup never looks complete.
 */
public final class ControllerBackup {

  private final String debvisorVersion;
  private final CaKeyCipher cipher;
  private final Clock clock;
  private final String actor;
  private final BackupProgress progress;

  public ControllerBackup(
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

  /** The hidden sibling a backup to {@code target} is written in before it is renamed. */
  public static Path stagingFor(Path target) {
    Path absolute = target.toAbsolutePath().normalize();
    return absolute.resolveSibling("." + absolute.getFileName() + ".partial");
  }

  public BackupResult backup(Path stateDir, Path target, Passphrase passphrase)
      throws BackupException {
    Path path = target.toAbsolutePath().normalize();
    checkTarget(path);
    checkState(stateDir);
    PrivateKey caKey = readCaKey(stateDir);
    X509Certificate caCert = readCaCert(stateDir);
    InventoryFile live = new InventoryFile(stateDir.resolve(StateLayout.DATABASE));
    return StagedBackup.write(
        path,
        "snapshot to " + path,
        (result, detail) -> live.audit(entry(result, detail), clock),
        staging -> write(stateDir, staging, live, caKey, caCert, passphrase),
        progress);
  }

  private BackupManifest write(
      Path stateDir,
      Path staging,
      InventoryFile live,
      PrivateKey caKey,
      X509Certificate caCert,
      Passphrase passphrase)
      throws IOException, SQLException {
    List<BackupManifest.FileEntry> files = new ArrayList<>();
    Path db = staging.resolve(StateLayout.DATABASE);
    progress.step("snapshot of " + StateLayout.DATABASE + " (online, VACUUM INTO)");
    DurableFiles.createEmpty(db, "600");
    live.snapshotInto(db);
    // A plain rollback-journal file: a restore can then read it in a read-only backup directory.
    InventoryFile copy = new InventoryFile(db);
    copy.useRollbackJournal();
    DurableFiles.sync(db);
    InventoryFile.Facts facts = copy.facts();
    files.add(StagedBackup.fileEntry(staging, StateLayout.DATABASE, "600"));
    progress.step(
        "  schema "
            + facts.schemaVersion()
            + ", "
            + facts.nodes()
            + " nodes, "
            + facts.auditEntries()
            + " audit entries, "
            + Files.size(db)
            + " bytes");

    progress.step("CA key, encrypted (PKCS#8, PBES2 PBKDF2-SHA256 AES-256-CBC)");
    String encrypted = cipher.encrypt(caKey, passphrase);
    DurableFiles.write(
        staging.resolve(StateLayout.ENCRYPTED_CA_KEY),
        encrypted.getBytes(StandardCharsets.US_ASCII),
        "600");
    files.add(StagedBackup.fileEntry(staging, StateLayout.ENCRYPTED_CA_KEY, "600"));
    // The backup's own copy of the certificate must be the one the key belongs to.
    DurableFiles.write(
        staging.resolve(StateLayout.CA_CERT),
        Pem.encode(caCert).getBytes(StandardCharsets.US_ASCII),
        "600");
    files.add(
        StagedBackup.fileEntry(
            staging, StateLayout.CA_CERT, modeOf(stateDir, StateLayout.CA_CERT)));

    List<String> copied = new ArrayList<>();
    copied.add(StateLayout.OPERATOR_TOKEN);
    copied.addAll(StateLayout.extraFiles(stateDir));
    for (String name : copied) {
      progress.step("copy " + name);
      DurableFiles.copy(stateDir.resolve(name), staging.resolve(name), "600");
      files.add(StagedBackup.fileEntry(staging, name, modeOf(stateDir, name)));
    }

    BackupManifest manifest =
        new BackupManifest(
            BackupManifest.FORMAT,
            BackupManifest.SQLITE,
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

  private static String modeOf(Path stateDir, String name) throws IOException {
    return DurableFiles.modeOf(stateDir.resolve(name));
  }

  private AuditEntry entry(String result, String detail) {
    return new AuditEntry(actor, "controller.backup", "state", "local", result, detail);
  }

  static void checkTarget(Path path) throws BackupException {
    if (Files.exists(path)) {
      if (!Files.isDirectory(path)) {
        throw BackupException.refused(
            "--path " + path + " exists and is not a directory; choose a new directory");
      }
      try (var entries = Files.list(path)) {
        if (entries.findAny().isPresent()) {
          throw BackupException.refused(
              "--path "
                  + path
                  + " exists and is not empty; choose a new directory (a backup never overwrites"
                  + " another)");
        }
      } catch (IOException e) {
        throw BackupException.refused("--path " + path + " cannot be read: " + describe(e));
      }
    }
    if (path.getParent() == null || !Files.isDirectory(path.getParent())) {
      throw BackupException.refused(
          "--path " + path + ": its parent directory does not exist; create it first");
    }
  }

  private static void checkState(Path stateDir) throws BackupException {
    for (String name : StateLayout.required()) {
      if (!Files.isRegularFile(stateDir.resolve(name))) {
        throw BackupException.refused(
            stateDir
                + " is not a controller state directory: "
                + name
                + " is missing; pass --state-dir (or $DEBVISOR_STATE_DIR)");
      }
    }
  }

  private static PrivateKey readCaKey(Path stateDir) throws BackupException {
    Path file = stateDir.resolve(StateLayout.CA_KEY);
    try {
      return Pem.privateKey(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw BackupException.refused("cannot read the CA key " + file + ": " + e.getMessage());
    }
  }

  private static X509Certificate readCaCert(Path stateDir) throws BackupException {
    Path file = stateDir.resolve(StateLayout.CA_CERT);
    try {
      return Pem.certificate(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw BackupException.refused(
          "cannot read the CA certificate " + file + ": " + e.getMessage());
    }
  }

  /** Renames the finished staging directory to the target (replacing an empty directory). */
  static void moveIntoPlace(Path staging, Path path) throws IOException {
    try {
      Files.move(
          staging, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot rename " + staging + " to " + path + " atomically: " + e.getMessage(), e);
    }
    DurableFiles.syncDirectory(path.getParent());
  }

  /** An I/O error as a reader wants it: "No space left on device", not a class name. */
  static String describe(Exception e) {
    String message = e.getMessage();
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      message = fs.getReason() + " (" + fs.getFile() + ")";
    } else if (e instanceof SQLException sql) {
      message = sql.getMessage();
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
