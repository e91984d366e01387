package org.debvisor.common.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real TLS servers on loopback fail the ways a client meets, and each failure is told apart. */
class ConnectionFailuresTest {

  @Test
  void aCertificateNotNamingTheDialledHostListsTheNamesItHas() throws Exception {
    LoopbackTls pki = new LoopbackTls("ca-one");
    try (LoopbackTls.Server server = pki.server(List.of("localhost", "10.9.8.7"))) {
      Throwable failure = catchThrowable(() -> pki.handshake("127.0.0.1", server.port()));

      ConnectionDiagnosis d =
          ConnectionFailures.diagnose(failure, "127.0.0.1", server.port()).orElseThrow();

      assertThat(d.kind()).isEqualTo(ConnectionDiagnosis.Kind.NAME_MISMATCH);
      assertThat(d.message())
          .contains("names localhost, 10.9.8.7 but not 127.0.0.1")
          .contains("controller serve --server-name 127.0.0.1");
    }
  }

  @Test
  void theSameServerDialledByANameItHasIsFine() throws Exception {
    LoopbackTls pki = new LoopbackTls("ca-one");
    try (LoopbackTls.Server server = pki.server(List.of("localhost", "127.0.0.1"))) {
      pki.handshake("127.0.0.1", server.port());
      assertThat(
              ServerCertificateNames.read(
                  "127.0.0.1", server.port(), java.time.Duration.ofSeconds(5)))
          .containsExactly("localhost", "127.0.0.1");
    }
  }

  @Test
  void aCertificateFromAnotherCaIsNotSignedByThePinnedOne() throws Exception {
    LoopbackTls theirs = new LoopbackTls("ca-theirs");
    LoopbackTls pinned = new LoopbackTls("ca-pinned");
    try (LoopbackTls.Server server = theirs.server(List.of("127.0.0.1"))) {
      Throwable failure = catchThrowable(() -> pinned.handshake("127.0.0.1", server.port()));

      ConnectionDiagnosis d =
          ConnectionFailures.diagnose(failure, "127.0.0.1", server.port()).orElseThrow();

      assertThat(d.kind()).isEqualTo(ConnectionDiagnosis.Kind.UNTRUSTED_CERTIFICATE);
      assertThat(d.message()).contains("not signed by the pinned CA").contains("pki/ca.pem");
    }
  }

  @Test
  void aClosedPortIsConnectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    LoopbackTls pki = new LoopbackTls("ca-one");
    Throwable failure = catchThrowable(() -> pki.handshake("127.0.0.1", port));

    ConnectionDiagnosis d = ConnectionFailures.diagnose(failure, "127.0.0.1", port).orElseThrow();

    assertThat(d.kind()).isEqualTo(ConnectionDiagnosis.Kind.REFUSED);
    assertThat(d.message()).contains("127.0.0.1:" + port + " refused");
  }

  @Test
  void aPlainTextServiceIsNotTls() throws Exception {
    byte[] http =
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    try (LoopbackTls.Server server = LoopbackTls.Server.plain(http)) {
      Throwable failure =
          catchThrowable(() -> new LoopbackTls("ca-one").handshake("127.0.0.1", server.port()));

      ConnectionDiagnosis d =
          ConnectionFailures.diagnose(failure, "127.0.0.1", server.port()).orElseThrow();

      assertThat(d.kind()).isEqualTo(ConnectionDiagnosis.Kind.NOT_TLS);
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    try (LoopbackTls.Server server = LoopbackTls.Server.plain(new byte[0])) {
      Throwable failure =
          catchThrowable(() -> new LoopbackTls("ca-one").handshake("127.0.0.1", server.port()));

      ConnectionDiagnosis d =
          ConnectionFailures.diagnose(failure, "127.0.0.1", server.port()).orElseThrow();

      assertThat(d.kind()).isEqualTo(ConnectionDiagnosis.Kind.TIMEOUT);
      assertThat(d.message()).contains("no answer from 127.0.0.1:" + server.port());
    }
  }

  @Test
  void anUnknownHostAndAnUnrelatedFailure() {
    Throwable unknown =
        new IOException("wrapped", new java.net.UnknownHostException("nowhere.invalid"));
    assertThat(ConnectionFailures.diagnose(unknown, "nowhere.invalid", 5443))
        .hasValueSatisfying(
            d -> assertThat(d.kind()).isEqualTo(ConnectionDiagnosis.Kind.UNKNOWN_HOST));
    assertThat(ConnectionFailures.diagnose(new IllegalStateException("boom"), "h", 1)).isEmpty();
  }
}
