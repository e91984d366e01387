package org.debvisor.common.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class PemTest {

  private static KeyPair ec() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
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
    String algorithm =
        pair.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
  }

  /** The traditional OpenSSL form: SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY". */
  private static String traditional(KeyPair pair) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(pair);
    }
    return text.toString();
  }

  /** As {@code openssl ecparam -name prime256v1 -genkey -noout} writes it (curve included). */
  private static final String OPENSSL_SEC1 =
      """
      -----BEGIN EC PRIVATE KEY-----
      MHcCAQEEIC7sZ11GHGTA8O4fayt2PSmjZ69mKTzGsUli5buOhw3joAoGCCqGSM49
      AwEHoUQDQgAElZJOl/vHvPe4iG5zsf0UYiuV7ab3J3SQqQErulxLDlQpw75Gf4xq
      322F8CBDT0mrbF1jRyRMRdYzxTYD01XU+Q==
      -----END EC PRIVATE KEY-----
      """;

  @Test
  void readsPkcs8Sec1AndPkcs1Keys() throws Exception {
    KeyPair ec = ec();
    KeyPair rsa = rsa();
    String sec1 = OPENSSL_SEC1;
    String pkcs1 = traditional(rsa);
    assertThat(pkcs1).contains("BEGIN RSA PRIVATE KEY");

    assertThat(Pem.privateKey(Pem.encode(ec.getPrivate())).getEncoded())
        .isEqualTo(ec.getPrivate().getEncoded());
    assertThat(Pem.privateKey(sec1).getAlgorithm()).isEqualTo("EC");
    assertThat(Pem.privateKey(pkcs1).getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    assertThat(Pem.encode(ec.getPrivate())).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void bothCertificateTypesAreWrittenAsBouncyCastlesWriterWritesThem() throws Exception {
    // RSA: a body of several full 64-character lines and a short last one.
    for (KeyPair pair : List.of(ec(), rsa())) {
      X509Certificate cert = selfSigned(pair, "holder");
      StringWriter text = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
        writer.writeObject(cert);
      }

      String pem = Pem.encode(new X509CertificateHolder(cert.getEncoded()));

      assertThat(pem).isEqualTo(text.toString());
      assertThat(Pem.encode(cert)).isEqualTo(text.toString());
      assertThat(Pem.certificate(pem)).isEqualTo(cert);
    }
  }

  @Test
  void certificatesRoundTripInOrderAndSkipOtherBlocks() throws Exception {
    KeyPair pair = ec();
    X509Certificate first = selfSigned(pair, "first");
    X509Certificate second = selfSigned(pair, "second");
    String combined = Pem.encode(first) + Pem.encode(pair.getPrivate()) + Pem.encode(second);

    assertThat(Pem.certificates(combined)).containsExactly(first, second);
    assertThat(Pem.certificate(Pem.encode(List.of(second, first)))).isEqualTo(second);
    assertThat(Pem.privateKey(combined).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
  }

  @Test
  void missingAndBrokenAreToldApart() throws Exception {
    String keyOnly = Pem.encode(ec().getPrivate());

    assertThatThrownBy(() -> Pem.certificates(keyOnly))
        .isInstanceOfSatisfying(
            PemException.class,
            e -> assertThat(e.problem()).isEqualTo(PemException.Problem.NOT_FOUND))
        .hasMessage("no PEM certificate found");
    assertThatThrownBy(() -> Pem.privateKey("hello"))
        .isInstanceOfSatisfying(
            PemException.class,
            e -> assertThat(e.problem()).isEqualTo(PemException.Problem.NOT_FOUND));
    assertThatThrownBy(
            () ->
                Pem.certificates(
                    "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"))
        .isInstanceOfSatisfying(
            PemException.class,
            e -> assertThat(e.problem()).isEqualTo(PemException.Problem.MALFORMED))
        .hasMessageStartingWith("not valid PEM: ");
  }

  @Test
  void ecKeysStayJdkKeysThatTlsPresentsWhenBouncyCastleIsARegisteredProvider() throws Exception {
    KeyPair pair = ec();
    X509Certificate certificate = selfSigned(pair, "node");
    String pem = Pem.encode(pair.getPrivate());
    boolean added = Security.addProvider(new BouncyCastleProvider()) != -1;
    try {
      PrivateKey key = Pem.privateKey(pem);
      assertThat(key.getAlgorithm()).isEqualTo("EC");
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("node", key, new char[0], new X509Certificate[] {certificate});
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, new char[0]);
      X509KeyManager manager = (X509KeyManager) factory.getKeyManagers()[0];
      // What the JDK's TLS client asks for when a server requests an ECDSA certificate.
      assertThat(manager.chooseClientAlias(new String[] {"EC"}, null, null)).isEqualTo("node");
    } finally {
      if (added) {
        Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
      }
    }
  }

  @Test
  void aKeyOfAnotherAlgorithmIsRefusedNamingIt() throws Exception {
    KeyPair dsa = KeyPairGenerator.getInstance("DSA").generateKeyPair();
    assertThatThrownBy(() -> Pem.privateKey(Pem.encode(dsa.getPrivate())))
        .isInstanceOfSatisfying(
            PemException.class,
            e -> assertThat(e.problem()).isEqualTo(PemException.Problem.MALFORMED))
        .hasMessageContaining("unsupported private key algorithm 1.2.840.10040.4.1")
        .hasMessageContaining("use an RSA or EC key");
  }
}
