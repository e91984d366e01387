package org.debvisor.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.debvisor.common.testing.TestCa;
import org.junit.jupiter.api.Test;

/**
 * The node's key and trust managers: nothing before enrolment, exactly the current credentials
 * after each update, and only the current CA bundle trusted.
 */
class NodeTlsTest {

  private final TestCa ca = new TestCa("debvisor-ca");
  private final TestCa renewedCa = new TestCa("debvisor-ca-2");
  private final NodeTls tls = new NodeTls();

  private NodeCredentials credentials(TestCa issuer, String nodeId) {
    KeyPair keys = TestCa.newKeys();
    X509Certificate leaf = issuer.issue("CN=" + nodeId, keys.getPublic());
    return new NodeCredentials(keys.getPrivate(), List.of(leaf), List.of(issuer.certificate()));
  }

  private static X509Certificate[] chainOf(TestCa issuer, String subject) {
    return new X509Certificate[] {issuer.issue(subject, TestCa.newKeys().getPublic())};
  }

  @Test
  void beforeEnrolmentNothingIsOfferedAndNothingTrusted() {
    X509ExtendedKeyManager keys = tls.keyManager();
    X509ExtendedTrustManager trust = tls.trustManager();

    assertThat(tls.current()).isEmpty();
    assertThat(keys.chooseServerAlias("EC", null, (Socket) null)).isNull();
    assertThat(keys.chooseClientAlias(new String[] {"EC"}, null, (Socket) null)).isNull();
    assertThat(keys.getCertificateChain("node")).isNull();
    assertThat(keys.getPrivateKey("node")).isNull();
    assertThat(keys.getServerAliases("EC", null)).isNull();
    assertThat(trust.getAcceptedIssuers()).isEmpty();
    assertThatThrownBy(() -> trust.checkServerTrusted(chainOf(ca, "CN=controller"), "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class)
        .hasMessage("this node has no controller CA yet (not enrolled)");
  }

  @Test
  void afterAnUpdateTheKeyIsOfferedForItsAlgorithmOnly() {
    NodeCredentials c = credentials(ca, "node-1");
    tls.update(c);
    X509ExtendedKeyManager keys = tls.keyManager();

    assertThat(tls.current()).contains(c);
    assertThat(keys.chooseServerAlias("EC", null, (Socket) null)).isEqualTo("node");
    assertThat(keys.chooseEngineServerAlias("EC_EC", null, (SSLEngine) null)).isEqualTo("node");
    assertThat(keys.chooseServerAlias("RSA", null, (Socket) null)).isNull();
    assertThat(keys.chooseServerAlias(null, null, (Socket) null)).isNull();
    assertThat(keys.chooseClientAlias(new String[] {"RSA", "EC"}, null, (Socket) null))
        .isEqualTo("node");
    assertThat(keys.chooseEngineClientAlias(new String[] {"RSA"}, null, (SSLEngine) null)).isNull();
    assertThat(keys.chooseClientAlias(null, null, (Socket) null)).isNull();
    assertThat(keys.getClientAliases("EC", null)).containsExactly("node");
    assertThat(keys.getServerAliases("EC", null)).containsExactly("node");
    assertThat(keys.getServerAliases("RSA", null)).isNull();
    assertThat(keys.getCertificateChain("node")).containsExactly(c.leaf());
    assertThat(keys.getPrivateKey("node")).isEqualTo(c.key());
    assertThat(keys.getCertificateChain("other")).isNull();
    assertThat(keys.getPrivateKey("other")).isNull();
  }

  @Test
  void onlyTheCurrentCaBundleIsTrustedAndARenewalReplacesIt() throws Exception {
    List<NodeCredentials> seen = new ArrayList<>();
    tls.onUpdate(seen::add);
    NodeCredentials first = credentials(ca, "node-1");
    tls.update(first);
    X509ExtendedTrustManager trust = tls.trustManager();

    trust.checkServerTrusted(chainOf(ca, "CN=controller"), "ECDHE_ECDSA");
    trust.checkClientTrusted(chainOf(ca, "CN=controller"), "ECDHE_ECDSA");
    trust.checkServerTrusted(chainOf(ca, "CN=controller"), "ECDHE_ECDSA", (Socket) null);
    trust.checkClientTrusted(chainOf(ca, "CN=controller"), "ECDHE_ECDSA", (Socket) null);
    trust.checkServerTrusted(chainOf(ca, "CN=controller"), "ECDHE_ECDSA", (SSLEngine) null);
    trust.checkClientTrusted(chainOf(ca, "CN=controller"), "ECDHE_ECDSA", (SSLEngine) null);
    assertThat(trust.getAcceptedIssuers()).containsExactly(ca.certificate());
    assertUntrusted(trust, renewedCa);

    NodeCredentials renewed = credentials(renewedCa, "node-1");
    tls.update(renewed);

    trust.checkServerTrusted(chainOf(renewedCa, "CN=controller"), "ECDHE_ECDSA");
    assertThat(trust.getAcceptedIssuers()).containsExactly(renewedCa.certificate());
    assertUntrusted(trust, ca);
    assertThat(tls.keyManager().getCertificateChain("node")).containsExactly(renewed.leaf());
    assertThat(seen).containsExactly(first, renewed);
  }

  private static void assertUntrusted(X509ExtendedTrustManager trust, TestCa stranger) {
    X509Certificate[] chain = chainOf(stranger, "CN=controller");
    assertThatThrownBy(() -> trust.checkServerTrusted(chain, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
    assertThatThrownBy(() -> trust.checkClientTrusted(chain, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
    assertThatThrownBy(() -> trust.checkServerTrusted(chain, "ECDHE_ECDSA", (Socket) null))
        .isInstanceOf(CertificateException.class);
    assertThatThrownBy(() -> trust.checkClientTrusted(chain, "ECDHE_ECDSA", (Socket) null))
        .isInstanceOf(CertificateException.class);
    assertThatThrownBy(() -> trust.checkServerTrusted(chain, "ECDHE_ECDSA", (SSLEngine) null))
        .isInstanceOf(CertificateException.class);
    assertThatThrownBy(() -> trust.checkClientTrusted(chain, "ECDHE_ECDSA", (SSLEngine) null))
        .isInstanceOf(CertificateException.class);
  }
}
