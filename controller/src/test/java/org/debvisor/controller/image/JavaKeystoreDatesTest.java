package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cacerts as ca-certificates-java writes it (a JKS keystore of trusted certificates, stamped with
 * the time of writing) becomes the same bytes whenever it was written.
 */
class JavaKeystoreDatesTest {

  @TempDir Path dir;

  private static final long EPOCH_MILLIS = 1767225600_000L;

  private static X509Certificate certificate(String name) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair pair = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    var holder =
        new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.valueOf(name.hashCode() & 0xffff),
                new Date(0),
                new Date(4_000_000_000_000L),
                subject,
                pair.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static byte[] keystore(X509Certificate... certificates) throws Exception {
    KeyStore store = KeyStore.getInstance("JKS");
    store.load(null, null);
    for (int i = 0; i < certificates.length; i++) {
      store.setCertificateEntry("debian:ca-" + i + ".pem", certificates[i]);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, JavaKeystoreDates.CACERTS_PASSWORD);
    return out.toByteArray();
  }

  /** The same keystore as if written at another time: every date moved by {@code millis}. */
  private static byte[] writtenLater(byte[] keystore, long millis) throws Exception {
    byte[] shifted =
        JavaKeystoreDates.normalize(keystore, EPOCH_MILLIS + millis, "changeit".toCharArray());
    assertThat(shifted)
        .isNotEqualTo(
            JavaKeystoreDates.normalize(keystore, EPOCH_MILLIS, "changeit".toCharArray()));
    return shifted;
  }

  @Test
  void everyDateBecomesTheEpochAndTheStoreStillLoads() throws Exception {
    byte[] original = keystore(certificate("a"), certificate("b"), certificate("c"));

    byte[] fixed = JavaKeystoreDates.normalize(original, EPOCH_MILLIS, "changeit".toCharArray());

    assertThat(fixed).hasSameSizeAs(original);
    KeyStore loaded = KeyStore.getInstance("JKS");
    // load() with the password checks the integrity digest.
    loaded.load(new ByteArrayInputStream(fixed), "changeit".toCharArray());
    assertThat(loaded.size()).isEqualTo(3);
    for (String alias : java.util.Collections.list(loaded.aliases())) {
      assertThat(loaded.getCreationDate(alias)).isEqualTo(new Date(EPOCH_MILLIS));
      assertThat(loaded.isCertificateEntry(alias)).isTrue();
    }
  }

  @Test
  void storesWrittenAtDifferentTimesBecomeIdentical() throws Exception {
    byte[] original = keystore(certificate("a"), certificate("b"));
    byte[] later = writtenLater(original, 86_400_000L);

    assertThat(JavaKeystoreDates.normalize(later, EPOCH_MILLIS, "changeit".toCharArray()))
        .isEqualTo(JavaKeystoreDates.normalize(original, EPOCH_MILLIS, "changeit".toCharArray()));
  }

  @Test
  void aWrongPasswordOrAnotherFormatLeavesTheFileAlone() throws Exception {
    byte[] original = keystore(certificate("a"));
    Path file = Files.write(dir.resolve("cacerts"), original);

    assertThatThrownBy(
            () -> JavaKeystoreDates.normalize(original, EPOCH_MILLIS, "other".toCharArray()))
        .hasMessageContaining("integrity digest does not match");
    byte[] notJks = HexFormat.of().parseHex("3082" + "00".repeat(40));
    assertThatThrownBy(
            () -> JavaKeystoreDates.normalize(notJks, EPOCH_MILLIS, "changeit".toCharArray()))
        .isInstanceOf(ImageBuildException.class);
    assertThat(Files.readAllBytes(file)).isEqualTo(original);
    assertThat(ByteBuffer.wrap(original).getInt()).isEqualTo(0xfeedfeed);
  }
}
