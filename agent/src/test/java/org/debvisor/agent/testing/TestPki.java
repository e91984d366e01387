package org.debvisor.agent.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Throwaway keys and certificates made with Bouncy Castle for TLS and kubeconfig tests. */
public final class TestPki {

  private static final AtomicLong SERIAL = new AtomicLong(1);

  /** A key pair with its certificate and the key that signed it. */
  public record Issued(KeyPair keys, X509Certificate certificate) {

    public String certificatePem() {
      return pem(certificate);
    }

    /** PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"), as kubeadm writes keys. */
    public String traditionalKeyPem() {
      if (!keys.getPrivate().getAlgorithm().equals("EC")) {
        return pem(keys.getPrivate());
      }
      // Bouncy Castle's writer leaves the curve out of SEC1; OpenSSL and Go put it in.
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
      try {
        ECPrivateKey bare = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey withCurve =
            new ECPrivateKey(256, bare.getKey(), info.getPrivateKeyAlgorithm().getParameters());
        return pem(new PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** PKCS#8 ("PRIVATE KEY"). */
    public String pkcs8KeyPem() {
      try {
        return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private TestPki() {}

  public static KeyPair rsa() {
    return generate("RSA", null);
  }

  public static KeyPair ec() {
    return generate("EC", new ECGenParameterSpec("secp256r1"));
  }

  private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (spec != null) {
        generator.initialize(spec);
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Issued selfSignedCa(String commonName) {
    KeyPair keys = rsa();
    return new Issued(keys, sign(commonName, keys, commonName, keys, true, null));
  }

  /** A leaf certificate signed by {@code ca}; {@code ipAddress} becomes a SAN when not null. */
  public static Issued issue(Issued ca, String commonName, KeyPair keys, String ipAddress) {
    String issuer = ca.certificate().getSubjectX500Principal().getName();
    return new Issued(keys, sign(commonName, keys, issuer, ca.keys(), false, ipAddress));
  }

  private static X509Certificate sign(
      String subject,
      KeyPair subjectKeys,
      String issuer,
      KeyPair issuerKeys,
      boolean ca,
      String ipAddress) {
    try {
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              new X500Name(issuer.contains("=") ? issuer : "CN=" + issuer),
              BigInteger.valueOf(SERIAL.getAndIncrement()),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(1))),
              new X500Name("CN=" + subject),
              subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ipAddress != null) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(new GeneralName(GeneralName.iPAddress, ipAddress)));
      }
      String algorithm =
          issuerKeys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return text.toString();
  }

  public static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
