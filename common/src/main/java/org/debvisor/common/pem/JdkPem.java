package org.debvisor.common.pem;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads certificates and PKCS#8 ({@code PRIVATE KEY}) keys with the JDK alone, and hands any other
 * key form to {@link Pem}. A server's TLS material is nearly always in these forms (the agent
 * writes its own keys as PKCS#8), and reading them this way keeps Bouncy Castle's classes, some 800
 * of them, out of a daemon that would otherwise load them only for this.
 */
public final class JdkPem {

  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  /** The key types a PKCS#8 block may hold here, as {@link Pem} reads them. */
  private static final List<String> ALGORITHMS = List.of("EC", "RSA", "Ed25519");

  private JdkPem() {}

  /**
   * Every certificate in the text, in order; a text the JDK cannot read whole (other blocks beside
   * the certificates) goes to {@link Pem#certificates}.
   *
   * @throws PemException NOT_FOUND when there is none, MALFORMED when a block cannot be read
   */
  public static List<X509Certificate> certificates(String pem) throws PemException {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      var read =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      for (var certificate : read) {
        certificates.add((X509Certificate) certificate);
      }
    } catch (CertificateException e) {
      // Other blocks among the certificates (a combined file): Pem skips them.
      return Pem.certificates(pem);
    }
    if (certificates.isEmpty()) {
      return Pem.certificates(pem);
    }
    return List.copyOf(certificates);
  }

  /**
   * The first private key in the text: a PKCS#8 block decoded by the JDK, else whatever {@link
   * Pem#privateKey} finds (PKCS#1 and SEC1 keys).
   *
   * @throws PemException NOT_FOUND when there is no unencrypted key, MALFORMED when a block cannot
   *     be read
   */
  public static PrivateKey privateKey(String pem) throws PemException {
    Matcher block = PKCS8.matcher(pem);
    if (!block.find()) {
      return Pem.privateKey(pem);
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(block.group(1));
    } catch (IllegalArgumentException e) {
      throw new PemException(PemException.Problem.MALFORMED, "not valid PEM: " + e.getMessage(), e);
    }
    return pkcs8(der);
  }

  /**
   * A PKCS#8 key (DER) as the JDK's own provider decodes it: the one place both readers turn key
   * bytes into a key, so Bouncy Castle's "ECDSA"-named keys never reach the JDK's TLS key manager.
   *
   * @throws PemException MALFORMED when it is not a valid RSA, EC or Ed25519 key
   */
  static PrivateKey pkcs8(byte[] der) throws PemException {
    for (String algorithm : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // Not a key of this algorithm (its identifier differs): try the next one.
      }
    }
    throw new PemException(
        PemException.Problem.MALFORMED,
        "the PRIVATE KEY block is not a valid RSA, EC or Ed25519 PKCS#8 key: use an RSA or EC key",
        null);
  }
}
