package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.Database;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.RegisterNodeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expired, reused, forged and wrongly bound tokens: each refused with a message naming why, and
 * nothing recorded (no node, the token's state unchanged); only the audit log notes the refusal.
 */
class TokenRefusalTest {

  @TempDir Path state;

  private RunningController ctl;
  private ControllerConnection anonymous;

  @BeforeEach
  void start() throws Exception {
    ctl = RunningController.start(state);
    anonymous = ctl.anonymous();
  }

  @AfterEach
  void stop() {
    anonymous.close();
    ctl.close();
  }

  private String token(long ttlSeconds, String hostname) {
    return ctl.operator()
        .createBootstrapToken(
            CreateBootstrapTokenRequest.newBuilder()
                .setTtl(Duration.newBuilder().setSeconds(ttlSeconds))
                .setHostname(hostname)
                .build())
        .getToken();
  }

  private StatusRuntimeException refused(RegisterNodeRequest request) {
    try {
      anonymous.controller(120).registerNode(request);
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("RegisterNode was accepted");
  }

  /** Nodes and token rows as text: compared before and after a refused call. */
  private List<String> inventory() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"));
        Statement s = c.createStatement()) {
      for (String sql :
          List.of(
              "SELECT id, state, cert_serial FROM nodes ORDER BY id",
              "SELECT id, used_at, used_by_node FROM bootstrap_tokens ORDER BY id",
              "SELECT serial, node_id, revoked_at FROM certificates ORDER BY serial")) {
        try (ResultSet rs = s.executeQuery(sql)) {
          while (rs.next()) {
            rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
          }
        }
      }
    }
    return rows;
  }

  private void assertNodeAbsent(String id) {
    assertThat(ctl.operator().listNodes(ListNodesRequest.getDefaultInstance()).getNodesList())
        .noneMatch(n -> n.getNodeId().equals(id));
  }

  @Test
  void expiredTokenIsRefused() throws Exception {
    String token = token(60, "");
    ctl.clock.advance(java.time.Duration.ofSeconds(61));
    TestNode node = new TestNode("node-expired", "n1");
    List<String> before = inventory();

    StatusRuntimeException e = refused(node.request(token).build());

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getStatus().getDescription()).contains("expired at").contains("token create");
    assertThat(inventory()).isEqualTo(before);
    assertNodeAbsent("node-expired");
  }

  @Test
  void reusedTokenIsRefusedAndTheFirstNodeKeepsIt() throws Exception {
    String token = token(3600, "");
    TestNode first = new TestNode("node-first", "n1");
    anonymous.controller(120).registerNode(first.request(token).build());
    List<String> before = inventory();

    StatusRuntimeException e = refused(new TestNode("node-second", "n2").request(token).build());

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getStatus().getDescription()).contains("already used").contains("single-use");
    assertThat(inventory()).isEqualTo(before).anyMatch(r -> r.endsWith("|node-first"));
    assertNodeAbsent("node-second");
  }

  @Test
  void forgedTokensAreRefused() throws Exception {
    String real = token(3600, "");
    String id = real.substring(4, 20);
    TestNode node = new TestNode("node-forged", "n1");
    List<String> before = inventory();

    // Right id, wrong secret.
    String wrongSecret = "dvb_" + id + "_" + "A".repeat(43);
    StatusRuntimeException e1 = refused(node.request(wrongSecret).build());
    // Well-formed, unknown id.
    StatusRuntimeException e2 =
        refused(node.request("dvb_00112233445566ff_" + "B".repeat(43)).build());
    // Not even shaped like a token.
    StatusRuntimeException e3 = refused(node.request("let-me-in").build());

    assertThat(List.of(e1, e2, e3))
        .allSatisfy(
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThat(e1.getStatus().getDescription()).contains("forged").contains(id);
    assertThat(e2.getStatus().getDescription()).contains("forged");
    assertThat(e3.getStatus().getDescription()).contains("malformed");
    assertThat(inventory()).isEqualTo(before);
    assertNodeAbsent("node-forged");
    // The real token is still good.
    anonymous.controller(120).registerNode(node.request(real).build());
  }

  @Test
  void tokenBoundToAnotherHostnameIsRefused() throws Exception {
    String token = token(3600, "ceph-7");
    TestNode node = new TestNode("node-wrong-host", "ceph-8");
    List<String> before = inventory();

    StatusRuntimeException e = refused(node.request(token).build());

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription()).contains("'ceph-7'").contains("'ceph-8'");
    assertThat(inventory()).isEqualTo(before);
    assertNodeAbsent("node-wrong-host");
    // The right host can use it.
    anonymous
        .controller(120)
        .registerNode(new TestNode("node-right", "ceph-7").request(token).build());
  }

  @Test
  void refusalsAreAudited() throws Exception {
    refused(new TestNode("node-x", "x").request("dvb_00112233445566ff_" + "C".repeat(43)).build());
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"))) {
      var entries = org.debvisor.controller.audit.AuditLog.page(c, 0, 10);
      assertThat(entries)
          .anySatisfy(
              r -> {
                assertThat(r.entry().action()).isEqualTo("node.register");
                assertThat(r.entry().result()).isEqualTo("refused");
                assertThat(r.entry().detail()).contains("forged");
                assertThat(r.entry().detail()).doesNotContain("CCCC");
              });
    }
  }

  @Test
  void concurrentUsesOfOneTokenEnrolExactlyOneNode() throws Exception {
    String token = token(3600, "");
    int racers = 6;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(racers);
    try {
      List<java.util.concurrent.Future<Status.Code>> results = new ArrayList<>();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      for (int i = 0; i < racers; i++) {
        TestNode node = new TestNode("racer-" + i, "racer-" + i);
        var request = node.request(token).build();
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    anonymous.controller(120).registerNode(request);
                    return Status.Code.OK;
                  } catch (StatusRuntimeException e) {
                    return e.getStatus().getCode();
                  }
                }));
      }
      go.countDown();
      List<Status.Code> codes = new ArrayList<>();
      for (var result : results) {
        codes.add(result.get(180, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(codes).containsOnlyOnce(Status.Code.OK);
      assertThat(codes)
          .filteredOn(c -> c != Status.Code.OK)
          .containsOnly(Status.Code.UNAUTHENTICATED);
      assertThat(ctl.operator().listNodes(ListNodesRequest.getDefaultInstance()).getNodesCount())
          .isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
