package org.debvisor.controller.ha;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import org.debvisor.common.pem.Pem;
import org.debvisor.controller.backup.BackupException;
import org.debvisor.controller.backup.CaKeyCipher;
import org.debvisor.controller.backup.Passphrase;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.SharedCaRepository;
import org.debvisor.controller.inventory.StoredCa;
import org.debvisor.controller.pki.CertificateAuthority;

/**
 * The CA kept in the database, so every controller on it can enrol, renew and revoke. The key is
 * stored encrypted with the passphrase every controller is given (the same PKCS#8 encryption
 * backups use); only the certificate is written to {@code pki/ca.pem}, for this controller's own
 * clients.
 */
public final class SharedCa {

  private final Database db;
  private final CaKeyCipher cipher;
  private final Clock clock;
  private final SharedCaRepository repository = new SharedCaRepository();

  public SharedCa(Database db, CaKeyCipher cipher, Clock clock) {
    this.db = db;
    this.cipher = cipher;
    this.clock = clock;
  }

  /**
   * Opens the stored CA with {@code passphrase}. When the database holds none yet, stores the CA of
   * {@code pkiDir} (a controller moving from files to the database) or a new one; when two
   * controllers start together, the first commit wins and both use it.
   *
   * @throws IOException the passphrase does not open the stored key (it differs from the other
   *     controllers'), or {@code pkiDir} holds another CA than the database
   */
  public CertificateAuthority open(Passphrase passphrase, Path pkiDir) throws IOException {
    Optional<CertificateAuthority.Keys> local = CertificateAuthority.readFiles(pkiDir);
    Optional<StoredCa> stored = db.read(repository::find);
    if (stored.isEmpty()) {
      CertificateAuthority.Keys keys =
          local.isPresent() ? local.get() : CertificateAuthority.generate(clock);
      StoredCa row =
          new StoredCa(
              Pem.encode(keys.certificate()),
              cipher.encrypt(keys.key(), passphrase),
              clock.instant());
      db.write(c -> repository.insertIfAbsent(c, row));
      stored = db.read(repository::find);
    }
    StoredCa ca = stored.orElseThrow();
    X509Certificate certificate = Pem.certificate(ca.certificatePem());
    PrivateKey key;
    try {
      key = cipher.decrypt(ca.encryptedKeyPem(), passphrase, certificate, "the shared CA key");
    } catch (BackupException e) {
      throw new IOException(
          "the CA key in "
              + db.location()
              + " does not open with this controller's CA key passphrase: every controller on"
              + " one database needs the same --ca-key-passphrase-file; copy the file the first"
              + " controller was started with",
          e);
    }
    if (local.isPresent() && !local.get().certificate().equals(certificate)) {
      throw new IOException(
          pkiDir.resolve("ca.pem")
              + " is another CA than the one in "
              + db.location()
              + ": nodes enrolled with it would not be trusted by the other controllers; move"
              + " pki/ca.key and pki/ca.pem aside (keep them if nodes still use that CA) and start"
              + " again");
    }
    CertificateAuthority authority =
        CertificateAuthority.of(new CertificateAuthority.Keys(key, certificate), clock);
    authority.writeCertificate(pkiDir);
    return authority;
  }
}
