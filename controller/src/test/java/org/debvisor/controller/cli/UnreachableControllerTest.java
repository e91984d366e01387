package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.pki.CertificateAuthority;
import org.debvisor.controller.server.RunningController;
import org.debvisor.proto.ListNodesRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a CLI says when it cannot reach a real controller over real TLS on loopback. One controller
 * listens on 127.0.0.2, an address its certificate (localhost, 127.0.0.1, ::1) does not name.
 */
class UnreachableControllerTest {

  @TempDir static Path state;
  @TempDir static Path otherPki;

  private static RunningController ctl;
  private static String target;

  @BeforeAll
  static void start() throws Exception {
    ctl = RunningController.start(state, s -> s.withListen("127.0.0.2", 0));
    target = "127.0.0.2:" + ctl.controller.address().getPort();
  }

  @AfterAll
  static void stop() {
    ctl.close();
  }

  private static String report(String target, Path caFile, String token) throws Exception {
    StringWriter text = new StringWriter();
    try (ControllerConnection c = ControllerConnection.open(target, caFile, token)) {
      try {
        c.controller(30).listNodes(ListNodesRequest.getDefaultInstance());
        throw new AssertionError("the call succeeded");
      } catch (StatusRuntimeException e) {
        int code = RpcFailure.report(e, target, new PrintWriter(text, true));
        assertThat(code).isEqualTo(DebvisorCli.EXIT_FAILURE);
      }
    }
    return text.toString();
  }

  @Test
  void anAddressTheCertificateDoesNotNameIsNamedWithTheNamesItHas() throws Exception {
    String err = report(target, ctl.caFile(), ctl.operatorToken());

    assertThat(err)
        .contains("names localhost, 127.0.0.1, 0:0:0:0:0:0:0:1 but not 127.0.0.2")
        .contains("controller serve --server-name 127.0.0.2")
        .doesNotContain("SslHandler");
  }

  @Test
  void anotherCaIsNotThePinnedOne() throws Exception {
    CertificateAuthority.loadOrCreate(otherPki, Clock.systemUTC());

    String err = report(target, otherPki.resolve("ca.pem"), ctl.operatorToken());

    assertThat(err).contains("not signed by the pinned CA").contains(target);
  }

  @Test
  void aClosedPortIsConnectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String err = report("127.0.0.1:" + port, ctl.caFile(), "dvo_x");

    assertThat(err).contains("127.0.0.1:" + port + " refused").contains("unreachable");
  }
}
