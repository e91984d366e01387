package org.debvisor.agent.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.debvisor.agent.Agent;
import org.debvisor.agent.testing.TestAgents;
import org.debvisor.agentapi.AuthSettings;
import org.debvisor.common.auth.AuthInterceptor;
import org.debvisor.proto.GetConfigRequest;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.StatusRequest;
import org.debvisor.proto.UpdateConfigRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loopback plaintext alone is not authorisation: UpdateConfig needs a known token. */
class AuthInterceptorTest {

  private static final String TOKEN = "s3cret-operator-token";
  private static Agent agent;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
    AuthSettings auth =
        new AuthSettings(List.of(new AuthSettings.TokenSettings("alice", hash)), null);
    agent = TestAgents.start(TestAgents.loopbackSettings(auth, null, null), List.of());
    channel = TestAgents.channel(agent);
  }

  @AfterAll
  static void stop() throws Exception {
    TestAgents.close(channel);
    agent.close();
  }

  private static NodeGrpc.NodeBlockingStub withAuthorization(String value) {
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.AUTHORIZATION, value);
    return NodeGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static Status.Code codeOf(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void updateConfigWithoutCredentialsIsUnauthenticatedWithAHint() {
    assertThatThrownBy(
            () ->
                NodeGrpc.newBlockingStub(channel)
                    .updateConfig(UpdateConfigRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription())
                  .contains("UpdateConfig needs an operator token (authorization: Bearer TOKEN)");
            });
  }

  @Test
  void wrongTokenIsUnauthenticatedAndNeverEchoed() {
    assertThatThrownBy(
            () ->
                withAuthorization("Bearer not-the-token")
                    .updateConfig(UpdateConfigRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription())
                  .contains("not one of this node's operator tokens")
                  .doesNotContain("not-the-token");
            });
  }

  @Test
  void malformedAuthorizationHeaderIsRefused() {
    assertThat(
            codeOf(
                () ->
                    withAuthorization("Basic YWxpY2U6eA==")
                        .status(StatusRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void knownTokenGetsPastAuthentication() {
    // An empty request then fails validation, which only runs for authorised callers.
    assertThat(
            codeOf(
                () ->
                    withAuthorization("Bearer " + TOKEN)
                        .updateConfig(UpdateConfigRequest.getDefaultInstance())))
        .isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
  }

  @Test
  void readsNeedNoCredentials() {
    assertThat(
            codeOf(
                () -> NodeGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.OK);
    assertThat(
            codeOf(
                () ->
                    NodeGrpc.newBlockingStub(channel)
                        .getConfig(GetConfigRequest.getDefaultInstance())))
        .isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED);
  }
}
