package org.debvisor.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.debvisor.common.testing.TestCa;
import org.junit.jupiter.api.Test;

class NodeCredentialsTest {

  private final TestCa ca = new TestCa("debvisor-ca");
  private final KeyPair keys = TestCa.newKeys();
  private final X509Certificate leaf = ca.issue("CN=node-1", keys.getPublic());

  @Test
  void exposesTheLeafsDatesSerialAndLifetime() {
    NodeCredentials c =
        new NodeCredentials(keys.getPrivate(), List.of(leaf), List.of(ca.certificate()));

    assertThat(c.leaf()).isEqualTo(leaf);
    assertThat(c.notBefore()).isEqualTo(leaf.getNotBefore().toInstant());
    assertThat(c.notAfter()).isEqualTo(leaf.getNotAfter().toInstant());
    assertThat(c.lifetime()).isEqualTo(Duration.ofHours(25));
    assertThat(c.serialHex()).isEqualTo(leaf.getSerialNumber().toString(16)).matches("[0-9a-f]+");
    assertThat(c.keyMatchesCertificate()).isTrue();
  }

  @Test
  void aChainAndACaAreBothRequired() {
    assertThatThrownBy(
            () -> new NodeCredentials(keys.getPrivate(), List.of(), List.of(ca.certificate())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one CA");
    assertThatThrownBy(() -> new NodeCredentials(keys.getPrivate(), List.of(leaf), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anotherKeyDoesNotMatch() {
    NodeCredentials c =
        new NodeCredentials(
            TestCa.newKeys().getPrivate(), List.of(leaf), List.of(ca.certificate()));
    assertThat(c.keyMatchesCertificate()).isFalse();
  }

  @Test
  void rsaKeysAreCheckedTooAndOtherAlgorithmsNeverMatch() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rsaKeys = rsa.generateKeyPair();
    X509Certificate rsaLeaf = ca.issue("CN=node-1", rsaKeys.getPublic());
    assertThat(NodeCredentials.keyMatches(rsaKeys.getPrivate(), rsaLeaf)).isTrue();
    assertThat(NodeCredentials.keyMatches(rsaKeys.getPrivate(), leaf)).isFalse();
    assertThat(NodeCredentials.keyMatches(keys.getPrivate(), rsaLeaf)).isFalse();

    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertThat(NodeCredentials.keyMatches(ed.getPrivate(), leaf)).isFalse();
  }

  @Test
  void anEcKeyLoadedThroughBouncyCastleIsRecognised() throws Exception {
    // Keys Bouncy Castle decodes (encrypted PEM, backups) name their algorithm "ECDSA".
    PrivateKey viaBc =
        KeyFactory.getInstance("ECDSA", new BouncyCastleProvider())
            .generatePrivate(new PKCS8EncodedKeySpec(keys.getPrivate().getEncoded()));
    assertThat(viaBc.getAlgorithm()).isEqualTo("ECDSA");
    assertThat(NodeCredentials.keyMatches(viaBc, leaf)).isTrue();
    PrivateKey otherViaBc =
        KeyFactory.getInstance("ECDSA", new BouncyCastleProvider())
            .generatePrivate(new PKCS8EncodedKeySpec(TestCa.newKeys().getPrivate().getEncoded()));
    assertThat(NodeCredentials.keyMatches(otherViaBc, leaf)).isFalse();
  }
}
