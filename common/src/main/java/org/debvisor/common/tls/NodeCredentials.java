package org.debvisor.common.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

  // The JDK's EC signer refuses a key named "ECDSA" (as Bouncy Castle names the keys it decodes),
  // so
  // such a key is re-read through the JDK's own factory from its PKCS#8 encoding.
  private static PrivateKey jdkKey(PrivateKey key) throws GeneralSecurityException {
    if (!key.getAlgorithm().equals("ECDSA")) {
      return key;
    }
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
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
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
