package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.RegisterNodeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RegisterNode's per-source rate limit, and what survives a controller restart. */
class RateLimitAndRestartTest {

  @TempDir Path state;

  @Test
  void registerNodeIsRateLimitedPerSourceWithRetryAfter() throws Exception {
    try (RunningController ctl =
            RunningController.start(
                state, s -> s.withRegisterLimit(new ControllerSettings.RateLimit(3, 1)));
        var anon = ctl.anonymous()) {
      List<Status.Code> codes = new ArrayList<>();
      StatusRuntimeException limited = null;
      // Capacity 3, refill 1/s: ten quick calls cannot all pass.
      for (int i = 0; i < 10; i++) {
        try {
          anon.controller(120).registerNode(RegisterNodeRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
          codes.add(e.getStatus().getCode());
          if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
            limited = e;
          }
        }
      }
      assertThat(codes).hasSize(10).startsWith(Status.Code.INVALID_ARGUMENT);
      assertThat(limited).isNotNull();
      assertThat(limited.getStatus().getDescription())
          .contains("127.0.0.1")
          .contains("retry after");
      Metadata trailers = limited.getTrailers();
      assertThat(trailers.get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER)))
          .matches("\\d+");
      // Operator calls are not limited by RegisterNode's bucket.
      ctl.operator()
          .createBootstrapToken(
              CreateBootstrapTokenRequest.newBuilder()
                  .setTtl(Duration.newBuilder().setSeconds(600))
                  .build());
    }
  }

  @Test
  void restartKeepsCaNodesTokensAndOperatorToken() throws Exception {
    String caPem;
    String operatorToken;
    String unusedToken;
    TestNode node = new TestNode("restart-node", "r1");
    try (RunningController ctl = RunningController.start(state);
        var anon = ctl.anonymous()) {
      caPem = Files.readString(ctl.caFile());
      operatorToken = ctl.operatorToken();
      String used = newToken(ctl);
      unusedToken = newToken(ctl);
      anon.controller(120).registerNode(node.request(used).build());
    }
    assertThat(Files.getPosixFilePermissions(state.resolve("pki/ca.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(state.resolve("operator-token")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(state.resolve("pki/ca.key")))
        .startsWith("-----BEGIN PRIVATE KEY-----");

    try (RunningController ctl = RunningController.start(state);
        var anon = ctl.anonymous()) {
      assertThat(Files.readString(ctl.caFile())).isEqualTo(caPem);
      assertThat(ctl.operatorToken()).isEqualTo(operatorToken);
      assertThat(
              ctl.operator()
                  .getNodeStatus(GetNodeStatusRequest.newBuilder().setNode("restart-node").build())
                  .getHostname())
          .isEqualTo("r1");
      TestNode second = new TestNode("restart-node-2", "r2");
      var response = anon.controller(120).registerNode(second.request(unusedToken).build());
      TestNode.certificate(response.getCertificatePem())
          .verify(TestNode.certificate(caPem).getPublicKey());
    }
  }

  private static String newToken(RunningController ctl) {
    return ctl.operator()
        .createBootstrapToken(
            CreateBootstrapTokenRequest.newBuilder()
                .setTtl(Duration.newBuilder().setSeconds(3600))
                .build())
        .getToken();
  }
}
