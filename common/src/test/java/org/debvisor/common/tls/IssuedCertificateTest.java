package org.debvisor.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.debvisor.common.pem.Pem;
import org.debvisor.common.testing.TestCa;
import org.junit.jupiter.api.Test;

/** What a node checks in the certificate the controller returns for its CSR. */
class IssuedCertificateTest {

  private final TestCa ca = new TestCa("debvisor-ca");
  private final TestCa otherCa = new TestCa("debvisor-ca");
  private final KeyPair node = TestCa.newKeys();

  private NodeCredentials verify(String nodeId, List<X509Certificate> chain, TestCa... cas)
      throws IOException {
    return IssuedCertificate.verify(
        node.getPrivate(),
        nodeId,
        Pem.encode(chain),
        Pem.encode(java.util.Arrays.stream(cas).map(TestCa::certificate).toList()));
  }

  @Test
  void aCertificateForOurKeyAndNameFromOurCaIsAccepted() throws IOException {
    X509Certificate leaf = ca.issue("CN=node-1", node.getPublic());

    NodeCredentials credentials = verify("node-1", List.of(leaf), ca);

    assertThat(credentials.leaf()).isEqualTo(leaf);
    assertThat(credentials.key()).isEqualTo(node.getPrivate());
    assertThat(credentials.caBundle()).containsExactly(ca.certificate());
  }

  @Test
  void anyCaOfTheBundleMaySignWhateverItsPlace() throws IOException {
    X509Certificate leaf = ca.issue("CN=node-1", node.getPublic());
    assertThat(verify("node-1", List.of(leaf), otherCa, ca).caBundle()).hasSize(2);
    assertThat(verify("node-1", List.of(leaf), ca, otherCa).caBundle()).hasSize(2);
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    X509Certificate leaf = otherCa.issue("CN=node-1", node.getPublic());
    assertThatThrownBy(() -> verify("node-1", List.of(leaf), ca))
        .isInstanceOf(IOException.class)
        .hasMessage("the controller's certificate is not signed by its CA bundle");
  }

  @Test
  void aCertificateForAnotherKeyIsRefused() {
    X509Certificate leaf = ca.issue("CN=node-1", TestCa.newKeys().getPublic());
    assertThatThrownBy(() -> verify("node-1", List.of(leaf), ca))
        .isInstanceOf(IOException.class)
        .hasMessage("the controller's certificate is not for the key this node sent");
  }

  @Test
  void aCertificateNamingAnotherNodeIsRefused() {
    X509Certificate leaf = ca.issue("CN=node-2", node.getPublic());
    assertThatThrownBy(() -> verify("node-1", List.of(leaf), ca))
        .isInstanceOf(IOException.class)
        .hasMessage("the controller's certificate names 'node-2', not this node 'node-1'");
    X509Certificate nameless = ca.issue("O=debvisor", node.getPublic());
    assertThatThrownBy(() -> verify("node-1", List.of(nameless), ca))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("names '', not this node 'node-1'");
  }

  @Test
  void aChainThroughAnIntermediateIsCheckedLinkByLinkUpToTheBundle() throws IOException {
    KeyPair intermediateKeys = TestCa.newKeys();
    X509Certificate intermediate =
        ca.issueIntermediate("CN=debvisor-intermediate", intermediateKeys.getPublic());
    X509Certificate leaf =
        TestCa.issue("CN=debvisor-intermediate", intermediateKeys, "CN=node-1", node.getPublic());

    assertThat(verify("node-1", List.of(leaf, intermediate), ca).chain())
        .containsExactly(leaf, intermediate);
    assertThatThrownBy(() -> verify("node-1", List.of(leaf, intermediate), otherCa))
        .hasMessage("the controller's certificate is not signed by its CA bundle");
  }

  @Test
  void aSelfMadeLeafInFrontOfAGenuineIntermediateIsRefused() throws IOException {
    KeyPair intermediateKeys = TestCa.newKeys();
    X509Certificate intermediate =
        ca.issueIntermediate("CN=debvisor-intermediate", intermediateKeys.getPublic());
    // Named as if the intermediate issued it, but signed with a key the forger holds.
    KeyPair forgerKeys = TestCa.newKeys();
    X509Certificate forged =
        TestCa.issue("CN=debvisor-intermediate", forgerKeys, "CN=node-1", node.getPublic());

    assertThatThrownBy(() -> verify("node-1", List.of(forged, intermediate), ca))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "the controller's certificate chain is broken: certificate 1 is not signed by"
                + " certificate 2");
  }

  @Test
  void theCommonNameIsFoundAmongOtherAttributesInAnyCase() {
    assertThat(
            IssuedCertificate.commonName(ca.issue("O=debvisor, CN=node-1, OU=x", node.getPublic())))
        .isEqualTo("node-1");
    assertThat(IssuedCertificate.commonName(ca.issue("cn=node-3", node.getPublic())))
        .isEqualTo("node-3");
    assertThat(IssuedCertificate.commonName(ca.issue("O=debvisor", node.getPublic()))).isEmpty();
  }
}
