package org.debvisor.agent.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA issuing server and client certificates for TLS tests. */
public final class TestPki {

  /** A certificate and its key written as PEM files. */
  public record Issued(Path cert, Path key) {}

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private long serial = 1;

  public TestPki(Path dir) throws Exception {
    this.dir = dir;
    this.caKeys = keys();
    this.caCert = sign(new X500Name("CN=DebVisor test CA"), caKeys.getPublic(), true, null);
  }

  /** The CA certificate as PEM. */
  public Path caFile() throws IOException {
    return write("ca.crt", caCert);
  }

  /** A leaf certificate for {@code cn}, valid for 127.0.0.1 and localhost. */
  public Issued issue(String cn) throws Exception {
    KeyPair leaf = keys();
    X509Certificate cert =
        sign(
            new X500Name("CN=" + cn),
            leaf.getPublic(),
            false,
            new GeneralNames(
                new GeneralName[] {
                  new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                  new GeneralName(GeneralName.dNSName, "localhost")
                }));
    return new Issued(write(cn + ".crt", cert), write(cn + ".key", leaf.getPrivate()));
  }

  private X509Certificate sign(
      X500Name subject, java.security.PublicKey key, boolean ca, GeneralNames names)
      throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            ca ? subject : new X500Name(caCert.getSubjectX500Principal().getName()),
            BigInteger.valueOf(serial++),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(1))),
            subject,
            key);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (names != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, names);
    }
    ContentSigner signer =
        new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private Path write(String name, Object pemObject) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      // PKCS#8 for keys: what Netty's SslContextBuilder reads.
      pem.writeObject(
          pemObject instanceof PrivateKey k
              ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null)
              : pemObject);
    }
    return Files.writeString(dir.resolve(name), text.toString());
  }
}
