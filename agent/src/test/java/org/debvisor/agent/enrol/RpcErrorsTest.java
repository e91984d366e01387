package org.debvisor.agent.enrol;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the agent logs when the controller cannot be reached: the failure in words. */
class RpcErrorsTest {

  @Test
  void aClosedControllerPortIsReportedAsConnectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .sslContext(GrpcSslContexts.forClient().build())
            .build();
    try {
      StatusRuntimeException e = null;
      try {
        HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance());
      } catch (StatusRuntimeException refused) {
        e = refused;
      }
      assertThat(e).isNotNull();

      String text = RpcErrors.describe(e, "127.0.0.1:" + port);

      assertThat(text)
          .startsWith("UNAVAILABLE: connection to 127.0.0.1:" + port + " refused")
          .contains("controller serve");
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void otherFailuresKeepTheirStatusAndCause() {
    StatusRuntimeException e = io.grpc.Status.INTERNAL.withDescription("boom").asRuntimeException();
    assertThat(RpcErrors.describe(e, "127.0.0.1:5443")).isEqualTo("INTERNAL: boom");
  }
}
