package org.debvisor.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.debvisor.common.digest.Sha256;
import org.debvisor.controller.inventory.LatestSchema;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * Backups to bad targets and restores of damaged, foreign or newer backups: each is refused with
 * what was wrong, and neither the target nor the state directory changes.
 */
class BackupBadInputTest {

  // A lower PBKDF2 count than the product's keeps this class fast; the cipher is the same.
  private static final int ITERATIONS = 10_000;
  private static final Clock CLOCK = Clock.systemUTC();

  @TempDir static Path shared;
  @TempDir Path dir;

  private static Path goodBackup;
  private static Path passphraseFile;
  private Path state;
  private Map<String, String> stateBefore;

  @BeforeAll
  static void makeOneBackup() throws Exception {
    passphraseFile = shared.resolve("passphrase");
    Files.writeString(passphraseFile, "correct horse battery staple\n");
    Path state = shared.resolve("state");
    TestNode node = new TestNode("00112233445566778899aabbccddeeff", "ceph-1");
    try (RunningController ctl = RunningController.start(state)) {
      FleetState.enrol(ctl, node);
    } finally {
      node.close();
    }
    goodBackup = shared.resolve("good");
    backup().backup(state, goodBackup, Passphrase.read(passphraseFile));
  }

  private static ControllerBackup backup() {
    return new ControllerBackup(
        "0.1.0", new CaKeyCipher(ITERATIONS), CLOCK, "local:test", BackupProgress.SILENT);
  }

  private static ControllerRestore restore() {
    return new ControllerRestore(
        "0.1.0", new CaKeyCipher(ITERATIONS), CLOCK, "local:test", BackupProgress.SILENT);
  }

  /** A controller's state directory (a copy of a restore of the good backup) to restore over. */
  @BeforeEach
  void occupiedState() throws Exception {
    state = dir.resolve("state");
    restore().restore(goodBackup, state, Passphrase.read(passphraseFile), false, false);
    stateBefore = DirectorySnapshot.of(state);
  }

  private Path copyOfGoodBackup() throws Exception {
    return BackupTampering.copy(goodBackup, dir.resolve("copy"));
  }

  /** The restore is refused with {@code message}; the state directory and its parent unchanged. */
  private void assertRefused(Path backup, String... message) throws Exception {
    List<String> siblings = DirectorySnapshot.names(dir);
    assertThatThrownBy(
            () -> restore().restore(backup, state, Passphrase.read(passphraseFile), true, false))
        .isInstanceOf(BackupException.class)
        .satisfies(e -> assertThat(((BackupException) e).badInput()).isTrue())
        .hasMessageContainingAll(message);
    assertThat(DirectorySnapshot.of(state)).isEqualTo(stateBefore);
    assertThat(DirectorySnapshot.names(dir)).isEqualTo(siblings);
  }

  @Test
  void backupIntoANonEmptyDirectoryIsRefused() throws Exception {
    Path target = Files.createDirectories(dir.resolve("target"));
    Files.writeString(target.resolve("keep.txt"), "mine");
    Map<String, String> before = DirectorySnapshot.of(dir.resolve("target"));

    assertThatThrownBy(() -> backup().backup(state, target, Passphrase.read(passphraseFile)))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("--path " + target + " exists and is not empty");
    assertThat(DirectorySnapshot.of(target)).isEqualTo(before);
    assertThat(Files.exists(ControllerBackup.stagingFor(target))).isFalse();
  }

  @Test
  void backupIntoAnEmptyDirectoryFillsIt() throws Exception {
    Path target = Files.createDirectories(dir.resolve("empty"));
    BackupResult result = backup().backup(state, target, Passphrase.read(passphraseFile));
    assertThat(result.manifest().nodes()).isEqualTo(1);
    assertThat(DirectorySnapshot.names(target)).contains("manifest.json", "controller.db");
  }

  @Test
  void backupToAReadOnlyFileSystemFailsAndLeavesNothing() throws Exception {
    try (TmpfsMount ro = TmpfsMount.mount(dir.resolve("ro"), "ro,size=1m")) {
      Path target = ro.dir().resolve("backup");
      assertThatThrownBy(() -> backup().backup(state, target, Passphrase.read(passphraseFile)))
          .isInstanceOf(BackupException.class)
          .hasMessageContaining("Read-only file system")
          .hasMessageContaining("nothing was written");
      assertThat(DirectorySnapshot.names(ro.dir())).isEmpty();
    }
  }

  @Test
  void backupToAFullDiskFailsAndLeavesNothing() throws Exception {
    try (TmpfsMount full = TmpfsMount.mount(dir.resolve("full"), "size=16k")) {
      Path target = full.dir().resolve("backup");
      assertThatThrownBy(() -> backup().backup(state, target, Passphrase.read(passphraseFile)))
          .isInstanceOf(BackupException.class)
          .satisfies(e -> assertThat(((BackupException) e).badInput()).isFalse())
          .hasMessageContaining("backup to " + target + " failed")
          .hasMessageContaining("nothing was left at " + target);
      assertThat(DirectorySnapshot.names(full.dir())).isEmpty();
    }
  }

  @Test
  void restoreOfATruncatedBackupIsRefusedNamingTheFile() throws Exception {
    Path copy = copyOfGoodBackup();
    Path db = copy.resolve("controller.db");
    try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    assertRefused(copy, "controller.db has", "the backup is truncated or damaged");
  }

  @Test
  void restoreOfABackupWithOneFlippedByteIsRefusedNamingTheFile() throws Exception {
    Path copy = copyOfGoodBackup();
    Path token = copy.resolve("operator-token");
    byte[] bytes = Files.readAllBytes(token);
    bytes[5] ^= 0x01;
    Files.write(token, bytes);
    assertRefused(copy, "operator-token: SHA-256 does not match the manifest");
  }

  @Test
  void restoreWithAWrongPassphraseIsRefused() throws Exception {
    Path wrong = dir.resolve("wrong-passphrase");
    Files.writeString(wrong, "incorrect horse battery staple\n");
    assertThatThrownBy(
            () -> restore().restore(goodBackup, state, Passphrase.read(wrong), true, false))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("wrong passphrase")
        .hasMessageContaining("pki/ca.key.encrypted.pem");
    assertThat(DirectorySnapshot.of(state)).isEqualTo(stateBefore);
  }

  @Test
  void aShortPassphraseIsRefused() throws Exception {
    Path shortOne = dir.resolve("short");
    Files.writeString(shortOne, "tiny\n");
    assertThatThrownBy(() -> Passphrase.read(shortOne))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("has 4 characters; use at least 12");
  }

  @Test
  void restoreOfABackupFromANewerDebvisorIsRefused() throws Exception {
    Path copy = copyOfGoodBackup();
    String json = Files.readString(copy.resolve("manifest.json"));
    BackupTampering.rewriteManifest(
        copy, json.replace("\"debvisorVersion\" : \"0.1.0\"", "\"debvisorVersion\" : \"9.0.0\""));
    assertRefused(copy, "made by DebVisor 9.0.0, newer than this 0.1.0");
  }

  @Test
  void restoreOfABackupWithANewerSchemaIsRefused() throws Exception {
    Path copy = copyOfGoodBackup();
    Path db = copy.resolve("controller.db");
    try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
              + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'future',"
              + " 'SQL', 'V99__future.sql', 0, 'test', 0, 1)");
    }
    String json = Files.readString(copy.resolve("manifest.json"));
    String oldSum = sha256OfEntry(json, "controller.db");
    BackupTampering.rewriteManifest(
        copy,
        json.replace(oldSum, Sha256.hex(db))
            .replaceFirst(
                "(\"path\" : \"controller.db\",\\s*\"size\" : )\\d+", "$1" + Files.size(db)));
    assertRefused(
        copy,
        "controller.db has schema version 99, newer than this DebVisor knows ("
            + LatestSchema.version()
            + ")");
  }

  @Test
  void restoreOfABackupWithAMissingFileIsRefusedNamingIt() throws Exception {
    Path copy = copyOfGoodBackup();
    Files.delete(copy.resolve("pki/ca.pem"));
    assertRefused(copy, "pki/ca.pem is missing from the backup");
  }

  @Test
  void restoreOfABackupWithoutManifestIsRefused() throws Exception {
    Path copy = copyOfGoodBackup();
    Files.delete(copy.resolve("manifest.json"));
    assertRefused(copy, "manifest.json is missing", "not a complete DebVisor backup");
  }

  @Test
  void aDamagedManifestIsNamed() throws Exception {
    Path copy = copyOfGoodBackup();
    Path manifest = copy.resolve("manifest.json");
    Files.writeString(
        manifest, Files.readString(manifest).replace("\"nodes\" : 1", "\"nodes\" : 7"));
    assertRefused(copy, "manifest.json does not match manifest.sha256");
  }

  @Test
  void restoreMigratesAnOlderSchema() throws Exception {
    Path copy = copyOfGoodBackup();
    Path db = copy.resolve("controller.db");
    Files.delete(db);
    org.sqlite.SQLiteDataSource source = new org.sqlite.SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + db);
    org.flywaydb.core.Flyway.configure()
        .dataSource(source)
        .locations(InventoryFile.MIGRATIONS)
        .target("2.1")
        .load()
        .migrate();
    String json = Files.readString(copy.resolve("manifest.json"));
    BackupTampering.rewriteManifest(
        copy,
        json.replace(sha256OfEntry(json, "controller.db"), Sha256.hex(db))
            .replaceFirst(
                "(\"path\" : \"controller.db\",\\s*\"size\" : )\\d+", "$1" + Files.size(db)));
    Path fresh = dir.resolve("fresh");
    RestoreResult result =
        restore().restore(copy, fresh, Passphrase.read(passphraseFile), false, false);
    assertThat(result.schemaFrom()).isEqualTo("2.1");
    assertThat(result.schemaTo()).isEqualTo(LatestSchema.version());
    assertThat(new InventoryFile(fresh.resolve("controller.db")).facts().schemaVersion())
        .isEqualTo(LatestSchema.version());
  }

  private static String sha256OfEntry(String json, String path) {
    var m =
        java.util.regex.Pattern.compile(
                "\"path\" : \""
                    + java.util.regex.Pattern.quote(path)
                    + "\",[^}]*\"sha256\" : \"([0-9a-f]{64})\"")
            .matcher(json);
    assertThat(m.find()).as("entry " + path + " in " + json).isTrue();
    return m.group(1);
  }
}
