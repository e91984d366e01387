package org.debvisor.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ListenFailureTest {

  @Test
  void aPortInUseNamesTheListenerTheAddressAndTheOption() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        ServerSocket second = new ServerSocket()) {
      int port = taken.getLocalPort();
      BindException bind = null;
      try {
        second.bind(new InetSocketAddress(taken.getInetAddress(), port));
      } catch (BindException e) {
        bind = e;
      }
      assertThat(bind).isNotNull();
      IOException e =
          ListenFailure.of(
              "the HTTPS API", "127.0.0.1:" + port, "--rest-listen", new CompletionException(bind));
      assertThat(e.getMessage())
          .startsWith(
              "cannot serve the HTTPS API on 127.0.0.1:" + port + ": Address already in use")
          .endsWith("stop it or choose another port with --rest-listen");
      assertThat(e.getCause()).isInstanceOf(CompletionException.class);
    }
  }

  @Test
  void nettysSyscallPrefixIsDroppedAndOtherCausesGetTheirAdvice() {
    Exception netty =
        new RuntimeException(
            new IOException("bind(..) failed with error(-98): Address already in use"));
    assertThat(ListenFailure.rootMessage(netty)).isEqualTo("Address already in use");
    assertThat(
            ListenFailure.of(
                    "gRPC",
                    "10.9.9.9:5443",
                    "--listen",
                    new BindException("Cannot assign requested address"))
                .getMessage())
        .contains("not an address of this machine")
        .endsWith("with --listen");
    assertThat(
            ListenFailure.of(
                    "gRPC", "0.0.0.0:80", "--listen", new BindException("Permission denied"))
                .getMessage())
        .contains("CAP_NET_BIND_SERVICE");
    assertThat(
            ListenFailure.of("gRPC", "x:1", "--listen", new IOException((String) null))
                .getMessage())
        .isEqualTo("cannot serve gRPC on x:1: IOException; check --listen");
  }
}
