package org.debvisor.common.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The JDK-only reading of TLS material, and its hand-over to {@link Pem} for other forms. */
class JdkPemTest {

  private static KeyPair pair(String algorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else if (algorithm.equals("RSA")) {
      generator.initialize(1024); // the form is tested, not the strength: small keys are quick
    }
    return generator.generateKeyPair();
  }

  private static X509Certificate selfSigned(KeyPair pair, String name) throws Exception {
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=" + name);
    var builder =
        new JcaX509v3CertificateBuilder(
            subject,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            subject,
            pair.getPublic());
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
  }

  @Test
  void pkcs8KeysOfEachAlgorithmAreTheSameKeysPemReads() throws Exception {
    for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
      KeyPair pair = pair(algorithm);
      String pem = Pem.encode(pair.getPrivate());

      var key = JdkPem.privateKey(pem);

      assertThat(key.getAlgorithm()).isEqualTo(pair.getPrivate().getAlgorithm());
      assertThat(key.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }
  }

  @Test
  void aPkcs1RsaKeyIsReadThroughPem() throws Exception {
    KeyPair pair = pair("RSA");
    StringWriter pkcs1 = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pkcs1)) {
      writer.writeObject(pair); // OpenSSL's traditional "RSA PRIVATE KEY"
    }
    assertThat(pkcs1.toString()).contains("BEGIN RSA PRIVATE KEY");

    assertThat(JdkPem.privateKey(pkcs1.toString()).getEncoded())
        .isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void certificatesComeInOrderAlsoFromACombinedFile() throws Exception {
    KeyPair pair = pair("EC");
    X509Certificate leaf = selfSigned(pair, "leaf");
    X509Certificate ca = selfSigned(pair("EC"), "ca");
    String chain = Pem.encode(List.of(leaf, ca));

    assertThat(JdkPem.certificates(chain)).containsExactly(leaf, ca);
    assertThat(JdkPem.certificates(Pem.encode(pair.getPrivate()) + chain))
        .containsExactly(leaf, ca);
  }

  @Test
  void brokenOrMissingMaterialIsRefusedSayingWhat() {
    assertThatThrownBy(() -> JdkPem.privateKey("no key here"))
        .isInstanceOfSatisfying(
            PemException.class,
            e -> assertThat(e.problem()).isEqualTo(PemException.Problem.NOT_FOUND));
    assertThatThrownBy(
            () ->
                JdkPem.privateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
        .isInstanceOfSatisfying(
            PemException.class,
            e -> assertThat(e.problem()).isEqualTo(PemException.Problem.MALFORMED))
        .hasMessageContaining("PKCS#8");
    assertThatThrownBy(() -> JdkPem.certificates("no certificate here"))
        .isInstanceOfSatisfying(
            PemException.class,
            e -> assertThat(e.problem()).isEqualTo(PemException.Problem.NOT_FOUND));
  }
}
