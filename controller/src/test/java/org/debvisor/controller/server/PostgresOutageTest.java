package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.PartitionProxy;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.RegisterNodeResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller on PostgreSQL cut off from its database, first by a silent network partition
 * (packets dropped, no reset), then by the server going away: calls answer UNAVAILABLE meanwhile
 * (so agents and operators retry) — a call in flight at the partition once the database timeout
 * passes, not after TCP's retransmission timeout of about 15 minutes — nothing acknowledged is
 * lost, and the controller serves again without a restart. One controller for both cuts: each start
 * costs the default suite seconds.
 */
@ExtendWith(PostgresExtension.class)
class PostgresOutageTest {

  @TempDir Path state;

  private static CreateBootstrapTokenRequest token(String hostname) {
    return CreateBootstrapTokenRequest.newBuilder()
        .setTtl(Duration.newBuilder().setSeconds(3600))
        .setHostname(hostname)
        .build();
  }

  private static void assertUnavailable(PostgresUrl url, ThrowingCallable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
    assertThat(e).as("the call should have failed").isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "the inventory database " + url.redacted() + " is busy or unreachable; retry shortly")
        .doesNotContain(url.password());
  }

  private static final int RETRIES = 20;

  private static Object joinUnwrapped(CompletableFuture<?> call) {
    try {
      return call.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static <T> T servedWithinRetries(java.util.function.Supplier<T> call) {
    StatusRuntimeException last = null;
    for (int attempt = 0; attempt < RETRIES; attempt++) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  private static final java.time.Duration DATABASE_TIMEOUT = java.time.Duration.ofSeconds(2);

  @Test
  // A guard, not an assertion: without the database timeout the call in flight at the partition
  // would wait ~15 minutes. The cut ends in a finally, so a failure cannot hang the clean-up.
  @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void callsAreUnavailableWhileTheDatabaseIsCutOffOrDownAndServedWhenItReturns(
      PostgresServer server) throws Exception {
    // The test server trusts loopback logins; the password is there to be kept out of messages.
    PostgresUrl direct = server.createDatabase().withPassword("hunter2-never-shown");
    try (PartitionProxy proxy =
            PartitionProxy.start(new InetSocketAddress(direct.host(), direct.port()));
        RunningController ctl =
            RunningController.start(
                state,
                s ->
                    s.withPostgres(PartitionProxy.through(direct, proxy))
                        .withDatabaseTimeout(DATABASE_TIMEOUT));
        ControllerConnection anonymous = ctl.anonymous();
        TestNode node = new TestNode("node-1", "ceph-1")) {
      PostgresUrl url = PartitionProxy.through(direct, proxy);
      String secret = ctl.operator().createBootstrapToken(token("ceph-1")).getToken();
      RegisterNodeResponse enrolled =
          anonymous.controller(120).registerNode(node.request(secret).build());
      var agent = node.mtls(ctl, enrolled.getCertificatePem());
      agent.heartbeat(HeartbeatRequest.getDefaultInstance());

      // The partition. The test's lock holds the call's INSERT on the server, so the statement is
      // certainly in flight when the cut comes; the server's answer then goes into the partition.
      try (Connection admin = DriverManager.getConnection(direct.jdbcUrl(), direct.user(), "")) {
        admin.setAutoCommit(false);
        try (Statement s = admin.createStatement()) {
          s.execute("LOCK TABLE bootstrap_tokens IN ACCESS EXCLUSIVE MODE");
        }
        CompletableFuture<?> inFlight =
            CompletableFuture.supplyAsync(
                () -> ctl.operator().createBootstrapToken(token("cut-in-flight")));
        ControllerLockWaits.awaitControllerWaitingOnLock(
            direct, "the controller's call never reached the locked table");
        proxy.blackhole();
        admin.commit();
        CompletableFuture<?> duringCut =
            CompletableFuture.supplyAsync(
                () -> ctl.operator().listNodes(ListNodesRequest.getDefaultInstance()));
        assertUnavailable(url, () -> joinUnwrapped(inFlight));
        assertUnavailable(url, () -> joinUnwrapped(duringCut));
      } finally {
        proxy.heal();
      }
      assertThat(
              servedWithinRetries(
                      () -> ctl.operator().listNodes(ListNodesRequest.getDefaultInstance()))
                  .getNodesList())
          .extracting(NodeRecord::getNodeId)
          .containsExactly("node-1");
      assertThat(
              servedWithinRetries(() -> ctl.operator().createBootstrapToken(token("ceph-healed")))
                  .getToken())
          .isNotEmpty();

      server.stop();
      try {
        assertUnavailable(
            url, () -> ctl.operator().listNodes(ListNodesRequest.getDefaultInstance()));
        assertUnavailable(url, () -> ctl.operator().createBootstrapToken(token("ceph-2")));
        assertUnavailable(url, () -> agent.heartbeat(HeartbeatRequest.getDefaultInstance()));
      } finally {
        server.startServer();
      }

      // The pool reconnects in the background with backoff; callers retry UNAVAILABLE meanwhile.
      assertThat(
              servedWithinRetries(
                      () -> ctl.operator().listNodes(ListNodesRequest.getDefaultInstance()))
                  .getNodesList())
          .extracting(NodeRecord::getNodeId)
          .containsExactly("node-1");
      assertThat(agent.heartbeat(HeartbeatRequest.getDefaultInstance()).hasHeartbeatInterval())
          .isTrue();
      assertThat(ctl.operator().createBootstrapToken(token("ceph-3")).getToken()).isNotEmpty();

      try (Connection c = DriverManager.getConnection(direct.jdbcUrl(), direct.user(), "");
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT detail FROM audit_log WHERE action = 'token.create' ORDER BY seq")) {
        java.util.List<String> details = new java.util.ArrayList<>();
        while (r.next()) {
          details.add(r.getString(1));
        }
        assertThat(details)
            .as("acknowledged tokens are audited, the ones answered UNAVAILABLE are not")
            .hasSize(3)
            .anySatisfy(d -> assertThat(d).contains("hostname=ceph-1"))
            .anySatisfy(d -> assertThat(d).contains("hostname=ceph-healed"))
            .anySatisfy(d -> assertThat(d).contains("hostname=ceph-3"))
            .noneSatisfy(d -> assertThat(d).contains("hostname=cut-in-flight"))
            .noneSatisfy(d -> assertThat(d).contains("hostname=ceph-2"));
        AuditVerifier.Result chain = new AuditVerifier().verify(c);
        assertThat(chain.intact()).as(chain.problem()).isTrue();
      }
      assertThat(state.resolve("controller.db")).as("no SQLite file beside").doesNotExist();

      java.io.StringWriter out = new java.io.StringWriter();
      picocli.CommandLine cli =
          org.debvisor.controller.cli.DebvisorCli.create(
              Path.of("debvisor.jar"), java.util.Map.of());
      cli.setOut(new java.io.PrintWriter(out, true));
      int verify = cli.execute("audit", "verify", "--database-url", direct.toString());
      assertThat(verify).as(out.toString()).isZero();
      assertThat(out.toString()).contains("audit log intact").contains(direct.redacted());
    }
  }
}
