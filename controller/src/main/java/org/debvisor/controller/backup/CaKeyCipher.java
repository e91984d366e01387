package org.debvisor.controller.backup;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.debvisor.common.pem.Pem;
import org.debvisor.common.tls.NodeCredentials;

/**
 * The CA key as encrypted PKCS#8 PEM ({@code ENCRYPTED PRIVATE KEY}): PBES2 with PBKDF2
 * (HMAC-SHA256) and AES-256-CBC, the format {@code openssl pkcs8} reads too.
 */
public final class CaKeyCipher {

  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 0.3 s per backup or restore here. */
  public static final int DEFAULT_ITERATIONS = 600_000;

  private final int iterations;
  private final SecureRandom random = new SecureRandom();
  // The JDK has no AES/CBC/PKCS7Padding, which PBES2 names; Bouncy Castle's provider does.
  private final BouncyCastleProvider provider = new BouncyCastleProvider();

  public CaKeyCipher(int iterations) {
    this.iterations = iterations;
  }

  /** Encrypts {@code key} with {@code passphrase}. */
  public String encrypt(PrivateKey key, Passphrase passphrase) {
    try {
      var encryptor =
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setPRF(PKCS8Generator.PRF_HMACSHA256)
              .setIterationCount(iterations)
              .setRandom(random)
              .setProvider(provider)
              .setPassword(passphrase.chars())
              .build();
      StringWriter text = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
        writer.writeObject(new JcaPKCS8Generator(key, encryptor).generate());
      }
      return text.toString();
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot encrypt the CA key: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts {@code pem} and checks that the key belongs to {@code certificate}.
   *
   * @throws BackupException naming {@code file} when the passphrase is wrong or the key is not the
   *     certificate's
   */
  public PrivateKey decrypt(
      String pem, Passphrase passphrase, X509Certificate certificate, String file)
      throws BackupException {
    PKCS8EncryptedPrivateKeyInfo encrypted;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object item = parser.readObject();
      if (!(item instanceof PKCS8EncryptedPrivateKeyInfo info)) {
        throw BackupException.refused(file + " holds no encrypted PKCS#8 private key");
      }
      encrypted = info;
    } catch (IOException e) {
      throw BackupException.refused(file + " is not valid PEM: " + e.getMessage());
    }
    PrivateKey key;
    try {
      PrivateKeyInfo info =
          encrypted.decryptPrivateKeyInfo(
              new JceOpenSSLPKCS8DecryptorProviderBuilder()
                  .setProvider(provider)
                  .build(passphrase.chars()));
      key = Pem.jdkPrivateKey(info);
    } catch (PKCSException | OperatorCreationException | IOException | RuntimeException e) {
      throw BackupException.refused(
          "wrong passphrase: cannot decrypt "
              + file
              + "; give the --passphrase-file the backup was made with");
    }
    if (!NodeCredentials.keyMatches(key, certificate)) {
      throw BackupException.refused(
          "wrong passphrase or mismatched key: the key in "
              + file
              + " is not the CA certificate's");
    }
    return key;
  }
}
