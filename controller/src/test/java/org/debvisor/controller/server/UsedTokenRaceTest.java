package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.inventory.TokenRepository;
import org.debvisor.controller.pki.BootstrapToken;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.RegisterNodeResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single-use token presented to one controller while another controller on the same PostgreSQL
 * consumes it: the enrolment reads the token as unused, its consuming UPDATE waits for the other
 * transaction and then changes no row. It must be refused then, storing no node, certificate or
 * "ok" audit row, not enrol a second node with the one token.
 */
@ExtendWith(PostgresExtension.class)
class UsedTokenRaceTest {

  @TempDir Path state;

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aTokenConsumedMeanwhileByAnotherControllerIsRefusedAndNothingIsStored(PostgresServer server)
      throws Exception {
    PostgresUrl url = server.createDatabase();
    try (RunningController ctl = RunningController.start(state, s -> s.withPostgres(url));
        ControllerConnection anonymous = ctl.anonymous();
        TestNode node = new TestNode("node-race", "race-1")) {
      String secret =
          ctl.operator()
              .createBootstrapToken(
                  CreateBootstrapTokenRequest.newBuilder()
                      .setTtl(Duration.newBuilder().setSeconds(3600))
                      .setHostname("race-1")
                      .build())
              .getToken();
      String tokenId = BootstrapToken.parse(secret).orElseThrow().id();

      StatusRuntimeException refusal;
      // The other controller's enrolment, open until the test commits it.
      try (Connection other = DriverManager.getConnection(url.jdbcUrl(), url.user(), "")) {
        other.setAutoCommit(false);
        assertThat(new TokenRepository().consume(other, tokenId, Instant.now(), "node-other"))
            .isTrue();
        CompletableFuture<RegisterNodeResponse> call =
            CompletableFuture.supplyAsync(
                () -> anonymous.controller(60).registerNode(node.request(secret).build()));
        ControllerLockWaits.awaitControllerWaitingOnLock(
            url, "the controller's enrolment never waited for the token's row");
        other.commit();
        refusal = catchThrowableOfType(StatusRuntimeException.class, () -> join(call));
      }

      assertThat(refusal).as("the second use of the token should be refused").isNotNull();
      assertThat(refusal.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(refusal.getStatus().getDescription())
          .contains("bootstrap token " + tokenId)
          .contains("single-use")
          .contains("debvisor token create");
      try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), "")) {
        assertThat(count(c, "SELECT COUNT(*) FROM nodes WHERE id = ?", "node-race")).isZero();
        assertThat(count(c, "SELECT COUNT(*) FROM certificates WHERE node_id = ?", "node-race"))
            .isZero();
        assertThat(
                count(
                    c,
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'node.register'"
                        + " AND result = 'ok' AND target = ?",
                    "node-race"))
            .isZero();
        assertThat(
                count(
                    c,
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'node.register'"
                        + " AND result = 'refused' AND target = ?",
                    "node-race"))
            .isEqualTo(1);
        assertThat(
                count(
                    c,
                    "SELECT COUNT(*) FROM bootstrap_tokens WHERE id = ? AND used_by_node ="
                        + " 'node-other'",
                    tokenId))
            .as("the token stays with the enrolment that consumed it")
            .isEqualTo(1);
      }
    }
  }

  private static Object join(CompletableFuture<?> call) {
    try {
      return call.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static long count(Connection c, String sql, String parameter) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, parameter);
      try (ResultSet r = ps.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
