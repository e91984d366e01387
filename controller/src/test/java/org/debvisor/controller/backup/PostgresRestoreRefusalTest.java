package org.debvisor.controller.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.ha.SharedCaSeed;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.NodeRepository;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.pki.CertificateAuthority;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores of a damaged, cut, foreign or newer PostgreSQL backup, or with a wrong passphrase: each
 * is refused naming what was wrong, before anything is touched; so is a SQLite backup (moving an
 * inventory from SQLite into PostgreSQL is not built). The target database (a live inventory,
 * restored over with --force) and the state directory are unchanged afterwards. One backup (one
 * pg_dump) serves every case; no case reaches pg_restore.
 */
@ExtendWith(PostgresExtension.class)
class PostgresRestoreRefusalTest {

  private static final String VERSION = "0.2.0";
  // A lower PBKDF2 count than the product's keeps this class fast; the cipher is the same.
  private static final CaKeyCipher CIPHER = new CaKeyCipher(1_000);

  @TempDir static Path shared;
  @TempDir Path dir;

  private static PostgresInventoryFixture fixture;
  private static PostgresUrl live;
  private static Path goodBackup;
  private static Path state;

  private String liveBefore;
  private Map<String, String> stateBefore;
  private List<String> siblingsBefore;

  /** A single controller's inventory (CA key as a file, so the backup carries it encrypted). */
  @BeforeAll
  static void oneBackup(PostgresServer server) throws Exception {
    fixture = new PostgresInventoryFixture(server, shared);
    state = Files.createDirectories(shared.resolve("state"));
    live = fixture.fileCaInventory(state);
    goodBackup = shared.resolve("good");
    new PostgresBackup(VERSION, CIPHER, Clock.systemUTC(), "local:test", BackupProgress.SILENT)
        .backup(live, state, goodBackup, fixture.passphrase());
  }

  @BeforeEach
  void snapshot() throws Exception {
    liveBefore = fixture.contents(live);
    stateBefore = DirectorySnapshot.of(state);
    siblingsBefore = DirectorySnapshot.names(shared);
  }

  @Test
  void aFlippedByteInTheDumpIsRefusedNamingIt() throws Exception {
    Path copy = copyOfGoodBackup();
    Path dump = copy.resolve(PostgresBackup.DUMP);
    byte[] bytes = Files.readAllBytes(dump);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(dump, bytes);
    assertRefused(copy, fixture.passphrase(), PostgresBackup.DUMP + ": SHA-256 does not match");
  }

  @Test
  void aTruncatedDumpIsRefusedNamingIt() throws Exception {
    Path copy = copyOfGoodBackup();
    try (RandomAccessFile f =
        new RandomAccessFile(copy.resolve(PostgresBackup.DUMP).toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    assertRefused(
        copy,
        fixture.passphrase(),
        PostgresBackup.DUMP + " has",
        "the backup is truncated or damaged");
  }

  @Test
  void aMissingDumpIsRefused() throws Exception {
    Path copy = copyOfGoodBackup();
    Files.delete(copy.resolve(PostgresBackup.DUMP));
    assertRefused(copy, fixture.passphrase(), PostgresBackup.DUMP + " is missing from the backup");
  }

  @Test
  void aWrongPassphraseIsRefusedNamingTheKeyFile() throws Exception {
    Path wrong =
        SharedCaSeed.passphraseFile(dir.resolve("wrong"), "incorrect horse battery staple");
    assertRefused(
        goodBackup, Passphrase.read(wrong), "wrong passphrase", "pki/ca.key.encrypted.pem");
  }

  @Test
  void aBackupFromANewerDebvisorIsRefused() throws Exception {
    Path copy = copyOfGoodBackup();
    String json = Files.readString(copy.resolve("manifest.json"));
    assertThat(json).contains("\"debvisorVersion\" : \"" + VERSION + "\"");
    BackupTampering.rewriteManifest(
        copy,
        json.replace(
            "\"debvisorVersion\" : \"" + VERSION + "\"", "\"debvisorVersion\" : \"9.0.0\""));
    assertRefused(copy, fixture.passphrase(), "made by DebVisor 9.0.0, newer than this " + VERSION);
  }

  @Test
  void aSqliteBackupIsRefusedSayingMovingToPostgresqlIsNotSupported() throws Exception {
    Path sqliteState = Files.createDirectories(dir.resolve("sqlite-state"));
    try (Database db = Database.open(sqliteState.resolve(StateLayout.DATABASE))) {
      db.write(
          c -> {
            new NodeRepository()
                .upsertEnrolment(c, PostgresInventoryFixture.node("node-s", "ceph-s"));
            return null;
          });
    }
    CertificateAuthority.loadOrCreate(sqliteState.resolve("pki"), Clock.systemUTC());
    Files.writeString(
        sqliteState.resolve(StateLayout.OPERATOR_TOKEN), PostgresInventoryFixture.OPERATOR_TOKEN);
    Path sqliteBackup = dir.resolve("sqlite-backup");
    new ControllerBackup(VERSION, CIPHER, Clock.systemUTC(), "local:test", BackupProgress.SILENT)
        .backup(sqliteState, sqliteBackup, fixture.passphrase());
    assertRefused(
        sqliteBackup,
        fixture.passphrase(),
        "holds a SQLite controller.db, not a PostgreSQL dump",
        "not supported yet",
        "without --database-url");
  }

  /**
   * Restored with --force over the live inventory and its state directory (the most a restore may
   * touch): refused with {@code message}, and the database, the state directory and the directory
   * beside it are as they were.
   */
  private void assertRefused(Path backup, Passphrase passphrase, String... message)
      throws Exception {
    PostgresRestore restore =
        new PostgresRestore(
            VERSION, CIPHER, Clock.systemUTC(), "local:test", BackupProgress.SILENT);
    assertThatThrownBy(() -> restore.restore(backup, live, state, passphrase, true, false))
        .isInstanceOf(BackupException.class)
        .satisfies(e -> assertThat(((BackupException) e).badInput()).isTrue())
        .hasMessageContainingAll(message);
    assertThat(fixture.contents(live)).isEqualTo(liveBefore);
    assertThat(DirectorySnapshot.of(state)).isEqualTo(stateBefore);
    assertThat(DirectorySnapshot.names(shared)).isEqualTo(siblingsBefore);
  }

  private Path copyOfGoodBackup() throws Exception {
    return BackupTampering.copy(goodBackup, dir.resolve("copy"));
  }
}
