package org.debvisor.common.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.debvisor.common.pem.Pem;
import org.debvisor.common.pem.PemException;

/**
 * The node's identity issued at enrolment: its private key, its certificate chain (leaf first) and
 * the controller's CA certificates it trusts.
 */
public record NodeCredentials(
    PrivateKey key, List<X509Certificate> chain, List<X509Certificate> caBundle) {

  public NodeCredentials {
    chain = List.copyOf(chain);
    caBundle = List.copyOf(caBundle);
    if (chain.isEmpty() || caBundle.isEmpty()) {
      throw new IllegalArgumentException("a certificate and at least one CA certificate needed");
    }
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public Instant notBefore() {
    return leaf().getNotBefore().toInstant();
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  /** The certificate's serial number in lower-case hex. */
  public String serialHex() {
    return leaf().getSerialNumber().toString(16);
  }

  public Duration lifetime() {
    return Duration.between(notBefore(), notAfter());
  }

  /** True when the key belongs to the leaf certificate (a signature made with it verifies). */
  public boolean keyMatchesCertificate() {
    return keyMatches(key, leaf());
  }

  // The JDK's EC signer refuses a key named "ECDSA" (Bouncy Castle's provider's keys), so such a
  // key is decoded again the way Pem decodes every key it reads.
  private static PrivateKey jdkKey(PrivateKey key) throws PemException {
    if (!key.getAlgorithm().equals("ECDSA")) {
      return key;
    }
    return Pem.jdkPrivateKey(PrivateKeyInfo.getInstance(key.getEncoded()));
  }

  /** True when {@code key} is the private half of {@code certificate}'s public key. */
  public static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          // Bouncy Castle's provider names its EC keys "ECDSA", the JDK's "EC".
          case "EC", "ECDSA" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] probe = "debvisor key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(jdkKey(key));
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | PemException e) {
      return false;
    }
  }
}
