package org.debvisor.agent.collect.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import org.debvisor.agent.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigReaderTest {

  private static final TestPki.Issued CA = TestPki.selfSignedCa("kubernetes");

  @TempDir Path dir;
  private final KubeconfigReader reader = new KubeconfigReader();

  @Test
  void tokenUserWithCaData() throws Exception {
    Path file =
        KubeconfigFiles.write(
            dir,
            "server: https://127.0.0.1:6443\ncertificate-authority-data: "
                + TestPki.base64(CA.certificatePem()),
            "token: abc.def");

    Kubeconfig config = reader.read(file);

    assertThat(config.path()).isEqualTo(file.toAbsolutePath());
    assertThat(config.contextName()).isEqualTo("test");
    assertThat(config.cluster().name()).isEqualTo("local");
    assertThat(config.cluster().server()).isEqualTo(URI.create("https://127.0.0.1:6443"));
    assertThat(config.cluster().insecureSkipTlsVerify()).isFalse();
    assertThat(config.cluster().certificateAuthorities()).containsExactly(CA.certificate());
    assertThat(config.user().name()).isEqualTo("agent");
    assertThat(config.user().token()).isEqualTo("abc.def");
    assertThat(config.user().hasClientCertificate()).isFalse();
    assertThat(config.user().toString()).doesNotContain("abc.def").contains("redacted");
  }

  @Test
  void tokenFileAndCaFileResolveAgainstTheKubeconfigDirectory() throws Exception {
    Files.writeString(dir.resolve("token"), "from-file\n");
    Files.createDirectories(dir.resolve("pki"));
    Files.writeString(dir.resolve("pki/ca.crt"), CA.certificatePem());
    Path file =
        KubeconfigFiles.write(
            dir,
            "server: https://127.0.0.1:6443\ncertificate-authority: pki/ca.crt",
            "tokenFile: token");

    Kubeconfig config = reader.read(file);

    assertThat(config.user().token()).isEqualTo("from-file");
    assertThat(config.cluster().certificateAuthorities()).containsExactly(CA.certificate());
  }

  @Test
  void clientCertificateDataWithRsaPkcs1Key() throws Exception {
    TestPki.Issued client = TestPki.issue(CA, "system:node:worker-1", TestPki.rsa(), null);
    Path file =
        KubeconfigFiles.write(
            dir,
            "server: https://127.0.0.1:6443\ninsecure-skip-tls-verify: true",
            "client-certificate-data: "
                + TestPki.base64(client.certificatePem())
                + "\nclient-key-data: "
                + TestPki.base64(client.traditionalKeyPem()));
    assertThat(client.traditionalKeyPem()).startsWith("-----BEGIN RSA PRIVATE KEY-----");

    Kubeconfig config = reader.read(file);

    assertThat(config.cluster().insecureSkipTlsVerify()).isTrue();
    assertThat(config.user().token()).isEmpty();
    assertThat(config.user().clientCertificateChain()).containsExactly(client.certificate());
    assertThat(config.user().clientKey()).isEqualTo(client.keys().getPrivate());
    assertThat(config.user().toString()).contains("CN=system:node:worker-1");
  }

  @Test
  void clientCertificateDataWithEcSec1Key() throws Exception {
    TestPki.Issued client = TestPki.issue(CA, "worker-2", TestPki.ec(), null);
    assertThat(client.traditionalKeyPem()).startsWith("-----BEGIN EC PRIVATE KEY-----");
    Path file =
        KubeconfigFiles.write(
            dir,
            "server: https://127.0.0.1:6443",
            "client-certificate-data: "
                + TestPki.base64(client.certificatePem())
                + "\nclient-key-data: "
                + TestPki.base64(client.traditionalKeyPem()));

    Kubeconfig config = reader.read(file);

    assertThat(config.user().clientKey()).isInstanceOf(ECPrivateKey.class);
    assertThat(((ECPrivateKey) config.user().clientKey()).getS())
        .isEqualTo(((ECPrivateKey) client.keys().getPrivate()).getS());
  }

  @Test
  void combinedPkcs8FileLikeKubeletClientCurrentPem() throws Exception {
    TestPki.Issued client = TestPki.issue(CA, "system:node:worker-3", TestPki.ec(), null);
    assertThat(client.pkcs8KeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    Files.createDirectories(dir.resolve("pki"));
    Files.writeString(
        dir.resolve("pki/kubelet-client-current.pem"),
        client.certificatePem() + client.pkcs8KeyPem());
    Path file =
        KubeconfigFiles.write(
            dir,
            "server: https://127.0.0.1:6443",
            "client-certificate: pki/kubelet-client-current.pem\n"
                + "client-key: pki/kubelet-client-current.pem");

    Kubeconfig config = reader.read(file);

    assertThat(config.user().clientCertificateChain()).containsExactly(client.certificate());
    assertThat(config.user().clientKey().getEncoded())
        .isEqualTo(client.keys().getPrivate().getEncoded());
  }

  @Test
  void contextWithoutUserIsAnonymous() throws Exception {
    Path file =
        KubeconfigFiles.raw(
            dir,
            """
            current-context: anon
            clusters:
            - name: c
              cluster:
                server: http://127.0.0.1:8080
            contexts:
            - name: anon
              context:
                cluster: c
            """);

    Kubeconfig config = reader.read(file);

    assertThat(config.user().name()).isEmpty();
    assertThat(config.user().token()).isEmpty();
    assertThat(config.user().hasClientCertificate()).isFalse();
  }

  private void assertBroken(String yaml, String expectedDetail) throws Exception {
    Path file = KubeconfigFiles.raw(dir, yaml);
    assertThatThrownBy(() -> reader.read(file))
        .isInstanceOf(KubeconfigException.class)
        .hasMessageStartingWith("kubeconfig " + file.toAbsolutePath() + ": ")
        .hasMessageContaining(expectedDetail);
  }

  private void assertBroken(String clusterLines, String userLines, String expectedDetail)
      throws Exception {
    Path file = KubeconfigFiles.write(dir, clusterLines, userLines);
    assertThatThrownBy(() -> reader.read(file))
        .isInstanceOf(KubeconfigException.class)
        .hasMessageStartingWith("kubeconfig " + file.toAbsolutePath() + ": ")
        .hasMessageContaining(expectedDetail);
  }

  @Test
  void brokenStructureNamesTheKey() throws Exception {
    assertBroken("", "is empty or not a YAML mapping");
    assertBroken("clusters: [\n", "cannot be read as YAML");
    assertBroken("kind: Config\n", "current-context is not set");
    assertBroken(
        "current-context: foo\ncontexts: []\n", "current-context 'foo' is not among contexts");
    assertBroken("current-context: foo\ncontexts: 7\n", "contexts is not a list");
    assertBroken(
        "current-context: foo\ncontexts:\n- name: foo\n", "contexts[foo].context is missing");
    assertBroken(
        "current-context: foo\ncontexts:\n- name: foo\n  context:\n    user: u\n",
        "contexts[foo].cluster is not set");
    assertBroken(
        "current-context: foo\ncontexts:\n- name: foo\n  context:\n    cluster: k\n",
        "cluster 'k' of context 'foo' is not among clusters");
    assertBroken(
        "current-context: foo\nclusters:\n- name: k\n  cluster:\n    server: https://h\n"
            + "contexts:\n- name: foo\n  context:\n    cluster: k\n    user: u\n",
        "user 'u' of context 'foo' is not among users");
  }

  @Test
  void brokenClusterNamesTheKey() throws Exception {
    assertBroken("insecure-skip-tls-verify: true", "token: t", "clusters[local].server is not set");
    assertBroken(
        "server: ftp://127.0.0.1", "token: t", "clusters[local].server 'ftp://127.0.0.1' is not");
    assertBroken(
        "server: https://127.0.0.1\ninsecure-skip-tls-verify: maybe",
        "token: t",
        "clusters[local].insecure-skip-tls-verify must be true or false");
    assertBroken(
        "server: https://127.0.0.1\ncertificate-authority-data: '!!not base64!!'",
        "token: t",
        "clusters[local].certificate-authority-data is not valid base64");
    assertBroken(
        "server: https://127.0.0.1\ncertificate-authority-data: " + TestPki.base64("hello"),
        "token: t",
        "clusters[local] certificate authority holds no PEM certificate");
    assertBroken(
        "server: https://127.0.0.1\ncertificate-authority: missing/ca.crt",
        "token: t",
        "clusters[local].certificate-authority "
            + dir.resolve("missing/ca.crt")
            + " cannot be read");
  }

  @Test
  void brokenUserNamesTheKey() throws Exception {
    TestPki.Issued client = TestPki.issue(CA, "c", TestPki.rsa(), null);
    String server = "server: https://127.0.0.1";
    assertBroken(
        server,
        "client-certificate-data: " + TestPki.base64(client.certificatePem()),
        "users[agent] has a client certificate but no client-key(-data)");
    assertBroken(
        server,
        "client-key-data: " + TestPki.base64(client.traditionalKeyPem()),
        "users[agent] has a client key but no client-certificate(-data)");
    assertBroken(
        server,
        "client-certificate-data: "
            + TestPki.base64(client.certificatePem())
            + "\nclient-key-data: "
            + TestPki.base64(client.certificatePem()),
        "users[agent] client key holds no unencrypted RSA or EC private key");
    assertBroken(server, "tokenFile: nowhere", "users[agent].tokenFile " + dir.resolve("nowhere"));
    assertBroken(
        server,
        "exec:\n  apiVersion: client.authentication.k8s.io/v1\n  command: aws",
        "users[agent] authenticates through exec or auth-provider");
  }
}
