package org.debvisor.common.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away certificate authority on EC P-256 keys, for tests of certificate checks. */
public final class TestCa {

  private final KeyPair keys = newKeys();
  private final X500Name name;
  private final X509Certificate certificate;
  private final AtomicLong serials = new AtomicLong(1000);

  public TestCa(String commonName) {
    this.name = new X500Name("CN=" + commonName);
    this.certificate = sign(name, keys.getPublic(), true);
  }

  /** A fresh P-256 key pair. */
  public static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A leaf certificate for {@code key} whose subject is {@code subject} (e.g. "CN=node-1"). */
  public X509Certificate issue(String subject, PublicKey key) {
    return sign(new X500Name(subject), key, false);
  }

  /** An intermediate CA certificate for {@code key}, signed by this CA. */
  public X509Certificate issueIntermediate(String subject, PublicKey key) {
    return sign(new X500Name(subject), key, true);
  }

  /** A leaf certificate for {@code key} signed with {@code issuerKeys} under {@code issuer}. */
  public static X509Certificate issue(
      String issuer, KeyPair issuerKeys, String subject, PublicKey key) {
    return build(new X500Name(issuer), issuerKeys, new X500Name(subject), key, false, 1);
  }

  private X509Certificate sign(X500Name subject, PublicKey key, boolean ca) {
    return build(name, keys, subject, key, ca, serials.getAndIncrement());
  }

  private static X509Certificate build(
      X500Name issuer,
      KeyPair issuerKeys,
      X500Name subject,
      PublicKey key,
      boolean ca,
      long serial) {
    Instant now = Instant.now();
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(serial),
              Date.from(now.minus(1, ChronoUnit.HOURS)),
              Date.from(now.plus(1, ChronoUnit.DAYS)),
              subject,
              key);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot sign a test certificate: " + e.getMessage(), e);
    }
  }
}
