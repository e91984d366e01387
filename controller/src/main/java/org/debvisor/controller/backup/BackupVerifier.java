package org.debvisor.controller.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.debvisor.common.digest.Sha256;
import org.debvisor.common.pem.Pem;
import org.debvisor.common.pem.PemException;

/**
 * Checks a backup without changing anything: the manifest against its checksum, every file's
 * presence, size and SHA-256, the passphrase against the CA key, and the DebVisor and schema
 * versions against this build. The first problem is reported with the file it is in.
 */
final class BackupVerifier {

  private final String debvisorVersion;
  private final CaKeyCipher cipher;
  private final BackupProgress progress;

  BackupVerifier(String debvisorVersion, CaKeyCipher cipher, BackupProgress progress) {
    this.debvisorVersion = debvisorVersion;
    this.cipher = cipher;
    this.progress = progress;
  }

  VerifiedBackup verify(Path backup, Passphrase passphrase) throws BackupException {
    Path path = backup.toAbsolutePath().normalize();
    if (!Files.isDirectory(path)) {
      throw BackupException.refused("--path " + path + " is not a directory (no backup there)");
    }
    BackupManifest manifest = readManifest(path);
    progress.step(
        "backup of "
            + manifest.createdAt()
            + " by DebVisor "
            + manifest.debvisorVersion()
            + ", schema "
            + manifest.schemaVersion()
            + ", "
            + manifest.nodes()
            + " nodes");
    if (!manifest.engine().equals(BackupManifest.SQLITE)) {
      throw BackupException.refused(
          "the backup at "
              + path
              + " holds a "
              + manifest.engine()
              + " inventory, not controller.db; restore it with --database-url");
    }
    if (DebvisorVersions.isNewer(manifest.debvisorVersion(), debvisorVersion)) {
      throw BackupException.refused(
          "the backup was made by DebVisor "
              + manifest.debvisorVersion()
              + ", newer than this "
              + debvisorVersion
              + "; restore it with that version or newer");
    }
    List<String> listed = manifest.files().stream().map(BackupManifest.FileEntry::path).toList();
    for (String needed :
        List.of(
            StateLayout.DATABASE,
            StateLayout.ENCRYPTED_CA_KEY,
            StateLayout.CA_CERT,
            StateLayout.OPERATOR_TOKEN)) {
      if (!listed.contains(needed)) {
        throw BackupException.refused(
            BackupManifest.FILE_NAME + " does not list " + needed + "; not a controller backup");
      }
    }
    for (BackupManifest.FileEntry file : manifest.files()) {
      checkFile(path, file);
    }
    progress.step("checksums: " + manifest.files().size() + " files intact");
    X509Certificate caCert = readCertificate(path);
    var caKey =
        cipher.decrypt(
            read(path, StateLayout.ENCRYPTED_CA_KEY),
            passphrase,
            caCert,
            StateLayout.ENCRYPTED_CA_KEY);
    progress.step("passphrase: the CA key decrypts and matches the CA certificate");
    InventoryFile.Schema schema;
    try {
      schema = new InventoryFile(path.resolve(StateLayout.DATABASE)).schema();
    } catch (RuntimeException e) {
      throw BackupException.refused(
          StateLayout.DATABASE + " in the backup cannot be read: " + e.getMessage());
    }
    if (schema.newer().isPresent()) {
      throw BackupException.refused(
          StateLayout.DATABASE
              + " has schema version "
              + schema.newer().get()
              + ", newer than this DebVisor knows ("
              + schema.latestKnown()
              + "); restore it with DebVisor "
              + manifest.debvisorVersion()
              + " or newer");
    }
    progress.step(
        "schema "
            + schema.current()
            + (schema.pending() > 0
                ? " (" + schema.pending() + " migrations to " + schema.latestKnown() + " to apply)"
                : " (current)"));
    return new VerifiedBackup(path, manifest, caKey, schema);
  }

  static BackupManifest readManifest(Path path) throws BackupException {
    Path json = path.resolve(BackupManifest.FILE_NAME);
    Path sum = path.resolve(BackupManifest.CHECKSUM_FILE_NAME);
    for (Path file : List.of(json, sum)) {
      if (!Files.isRegularFile(file)) {
        throw BackupException.refused(
            file.getFileName() + " is missing in " + path + ": not a complete DebVisor backup");
      }
    }
    byte[] bytes;
    String expected;
    try {
      bytes = Files.readAllBytes(json);
      expected = Files.readString(sum, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw BackupException.refused("cannot read the manifest in " + path + ": " + e.getMessage());
    }
    int space = expected.indexOf(' ');
    String hex = space < 0 ? expected : expected.substring(0, space);
    if (!hex.equals(Sha256.hex(bytes))) {
      throw BackupException.refused(
          BackupManifest.FILE_NAME
              + " does not match "
              + BackupManifest.CHECKSUM_FILE_NAME
              + ": the manifest (or its checksum) is damaged");
    }
    return BackupManifest.parse(new String(bytes, StandardCharsets.UTF_8));
  }

  static void checkFile(Path root, BackupManifest.FileEntry entry) throws BackupException {
    Path file = root.resolve(entry.path());
    if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw BackupException.refused(entry.path() + " is missing from the backup " + root);
    }
    try {
      long size = Files.size(file);
      if (size != entry.size()) {
        throw BackupException.refused(
            entry.path()
                + " has "
                + size
                + " bytes, the manifest says "
                + entry.size()
                + ": the backup is truncated or damaged");
      }
      String actual;
      try (InputStream in = Files.newInputStream(file)) {
        actual = Sha256.hex(in);
      }
      if (!actual.equals(entry.sha256())) {
        throw BackupException.refused(
            entry.path() + ": SHA-256 does not match the manifest; the backup is damaged");
      }
    } catch (IOException e) {
      throw BackupException.refused("cannot read " + entry.path() + ": " + e.getMessage());
    }
  }

  private static X509Certificate readCertificate(Path root) throws BackupException {
    try {
      return Pem.certificate(read(root, StateLayout.CA_CERT));
    } catch (PemException e) {
      throw BackupException.refused(
          StateLayout.CA_CERT + " is not a certificate: " + e.getMessage());
    }
  }

  private static String read(Path root, String name) throws BackupException {
    try {
      return Files.readString(root.resolve(name), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw BackupException.refused("cannot read " + name + ": " + e.getMessage());
    }
  }
}
