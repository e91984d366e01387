package org.debvisor.controller.ha;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.debvisor.controller.backup.BackupException;
import org.debvisor.controller.backup.CaKeyCipher;
import org.debvisor.controller.backup.Passphrase;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.PostgresUrl;

/**
 * Stores a new shared CA in a test database the way the first controller does, but with few PBKDF2
 * rounds: controllers then open it quickly (the rounds are read from the stored key), instead of
 * spending 600 000 rounds per start on a loaded test machine.
 */
public final class SharedCaSeed {

  private static final int TEST_ITERATIONS = 1_000;

  private SharedCaSeed() {}

  /** Writes {@code text} to a 0600 passphrase file {@code file}. */
  public static Path passphraseFile(Path file, String text) throws IOException {
    Files.writeString(file, text + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /** Stores a new CA in {@code url}'s database, encrypted with the passphrase in {@code file}. */
  public static void seed(PostgresUrl url, Path file, Path scratch)
      throws IOException, BackupException {
    try (Database db = Database.open(url)) {
      new SharedCa(db, new CaKeyCipher(TEST_ITERATIONS), Clock.systemUTC())
          .open(Passphrase.read(file), scratch.resolve("seed-pki"));
    }
  }
}
