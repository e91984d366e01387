package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.PostgresExtension;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.RegisterNodeResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller on PostgreSQL whose database server goes away and comes back: calls answer
 * UNAVAILABLE meanwhile (so agents and operators retry), nothing acknowledged is lost, and the
 * controller serves again without a restart.
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

  @Test
  void callsAreUnavailableWhileTheDatabaseIsDownAndServedWhenItReturns(PostgresServer server)
      throws Exception {
    // The test server trusts loopback logins; the password is there to be kept out of messages.
    PostgresUrl url = server.createDatabase().withPassword("hunter2-never-shown");
    try (RunningController ctl = RunningController.start(state, s -> s.withPostgres(url));
        ControllerConnection anonymous = ctl.anonymous();
        TestNode node = new TestNode("node-1", "ceph-1")) {
      String secret = ctl.operator().createBootstrapToken(token("ceph-1")).getToken();
      RegisterNodeResponse enrolled =
          anonymous.controller(120).registerNode(node.request(secret).build());
      var agent = node.mtls(ctl, enrolled.getCertificatePem());
      agent.heartbeat(HeartbeatRequest.getDefaultInstance());

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

      try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), "");
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT detail FROM audit_log WHERE action = 'token.create' ORDER BY seq")) {
        java.util.List<String> details = new java.util.ArrayList<>();
        while (r.next()) {
          details.add(r.getString(1));
        }
        assertThat(details)
            .as("tokens for ceph-1 and ceph-3 are audited, the refused one for ceph-2 is not")
            .hasSize(2)
            .anySatisfy(d -> assertThat(d).contains("hostname=ceph-1"))
            .anySatisfy(d -> assertThat(d).contains("hostname=ceph-3"))
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
      int verify = cli.execute("audit", "verify", "--database-url", url.toString());
      assertThat(verify).as(out.toString()).isZero();
      assertThat(out.toString()).contains("audit log intact").contains(url.redacted());
    }
  }
}
