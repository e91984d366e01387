package org.debvisor.agent.collect.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.mockwebserver.DefaultMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.debvisor.agent.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS set-ups a kubeconfig can ask for, against real TLS servers on loopback. */
class ApiServerTlsTest {

  @TempDir Path dir;
  private final KubeconfigReader reader = new KubeconfigReader();

  private ApiServerClient.Readyz readyz(Path kubeconfig) throws Exception {
    try (ApiServerClient client =
        new ApiServerClient(reader.read(kubeconfig), Duration.ofSeconds(5))) {
      return client.readyz(Deadline.within(Duration.ofSeconds(5)));
    }
  }

  @Test
  void mockServerCertificateAsCaDataIsTrusted() throws Exception {
    DefaultMockServer server = new DefaultMockServer(true);
    server.start(InetAddress.getLoopbackAddress(), 0);
    try {
      server.expect().get().withPath("/readyz").andReturn(200, "ok").always();
      String ca = Files.readString(Path.of(server.getSelfSignedCertificate().certificatePath()));
      Path kubeconfig =
          KubeconfigFiles.write(
              dir,
              "server: https://localhost:"
                  + server.getPort()
                  + "\ncertificate-authority-data: "
                  + TestPki.base64(ca),
              "token: t");

      assertThat(readyz(kubeconfig).ready()).isTrue();
    } finally {
      server.shutdown();
    }
  }

  @Test
  void insecureSkipTlsVerifyAcceptsAnUnknownCertificate() throws Exception {
    DefaultMockServer server = new DefaultMockServer(true);
    server.start(InetAddress.getLoopbackAddress(), 0);
    try {
      server.expect().get().withPath("/readyz").andReturn(200, "ok").always();
      Path kubeconfig =
          KubeconfigFiles.write(
              dir,
              // 127.0.0.1 is not in the mock server's certificate: host name checks are off too
              "server: https://127.0.0.1:" + server.getPort() + "\ninsecure-skip-tls-verify: true",
              "token: t");

      assertThat(readyz(kubeconfig).ready()).isTrue();
    } finally {
      server.shutdown();
    }
  }

  @Test
  void unknownServerCertificateIsRejected() throws Exception {
    DefaultMockServer server = new DefaultMockServer(true);
    server.start(InetAddress.getLoopbackAddress(), 0);
    try {
      TestPki.Issued otherCa = TestPki.selfSignedCa("other");
      Path kubeconfig =
          KubeconfigFiles.write(
              dir,
              "server: https://localhost:"
                  + server.getPort()
                  + "\ncertificate-authority-data: "
                  + TestPki.base64(otherCa.certificatePem()),
              "token: t");

      assertThatThrownBy(() -> readyz(kubeconfig))
          .isInstanceOf(ApiServerException.class)
          .hasMessageStartingWith("cannot reach apiserver https://localhost:" + server.getPort())
          .hasMessageContaining("PKIX");
    } finally {
      server.shutdown();
    }
  }

  @Test
  void clientCertificateIsPresentedForMutualTls() throws Exception {
    TestPki.Issued ca = TestPki.selfSignedCa("kubernetes-ca");
    TestPki.Issued serverCert = TestPki.issue(ca, "kube-apiserver", TestPki.rsa(), "127.0.0.1");
    TestPki.Issued client = TestPki.issue(ca, "system:node:worker-1", TestPki.ec(), null);

    try (SSLServerSocket listener = mutualTlsListener(ca, serverCert)) {
      CompletableFuture<String> seenClient =
          CompletableFuture.supplyAsync(() -> answerOnce(listener));
      Path kubeconfig =
          KubeconfigFiles.write(
              dir,
              "server: https://127.0.0.1:"
                  + listener.getLocalPort()
                  + "\ncertificate-authority-data: "
                  + TestPki.base64(ca.certificatePem()),
              "client-certificate-data: "
                  + TestPki.base64(client.certificatePem())
                  + "\nclient-key-data: "
                  + TestPki.base64(client.traditionalKeyPem()));

      assertThat(readyz(kubeconfig).ready()).isTrue();
      assertThat(seenClient.get(5, TimeUnit.SECONDS)).isEqualTo("CN=system:node:worker-1");
    }
  }

  private static SSLServerSocket mutualTlsListener(TestPki.Issued ca, TestPki.Issued server)
      throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "server",
        server.keys().getPrivate(),
        new char[0],
        new Certificate[] {server.certificate()});
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
    keyManagers.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
    trustManagers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    SSLServerSocket listener =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    listener.setNeedClientAuth(true);
    listener.setSoTimeout(10_000);
    return listener;
  }

  /** Answers one HTTP request with 200 "ok"; returns the client certificate's subject. */
  private static String answerOnce(SSLServerSocket listener) {
    try (SSLSocket socket = (SSLSocket) listener.accept()) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      String subject =
          ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0])
              .getSubjectX500Principal()
              .getName();
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0 && head.length() < 16_384) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.append((char) b);
      }
      OutputStream out = socket.getOutputStream();
      out.write(
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return subject;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
