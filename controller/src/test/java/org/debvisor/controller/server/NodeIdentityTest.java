package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.inventory.Database;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.RegisterNodeRequest;
import org.debvisor.proto.RegisterNodeResponse;
import org.debvisor.proto.RevokeNodeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client certificate is the node's identity: enrolment does not hand an enrolled id or another
 * node's address to a newcomer, and heartbeats cannot rename a node or move its address. One
 * controller serves the class (each test has its own node ids); each refusal reason is met once.
 */
class NodeIdentityTest {

  @TempDir static Path state;

  private static RunningController ctl;
  private TestNode node;

  @BeforeAll
  static void start() throws Exception {
    ctl = RunningController.start(state);
  }

  @AfterAll
  static void stop() {
    ctl.close();
  }

  @BeforeEach
  void newNode(TestInfo test) {
    String tag = Integer.toHexString(test.getDisplayName().hashCode());
    node = new TestNode("node-" + tag, "host-" + tag);
  }

  @AfterEach
  void closeNode() {
    node.close();
  }

  private String token(String nodeId) {
    return ctl.operator()
        .createBootstrapToken(
            CreateBootstrapTokenRequest.newBuilder()
                .setTtl(Duration.newBuilder().setSeconds(3600))
                .setNodeId(nodeId)
                .build())
        .getToken();
  }

  private RegisterNodeResponse register(RegisterNodeRequest request) throws Exception {
    try (var anon = ctl.anonymous()) {
      return anon.controller(120).registerNode(request);
    }
  }

  /** Nodes, tokens and certificates as text: compared before and after a refused call. */
  private List<String> inventory() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"));
        Statement s = c.createStatement()) {
      for (String sql :
          List.of(
              "SELECT id, hostname || '|' || state || '|' || agent_address, cert_serial FROM nodes",
              "SELECT id, coalesce(used_at, '-'), coalesce(used_by_node, '-') FROM bootstrap_tokens",
              "SELECT serial, node_id, coalesce(revoked_at, '-') FROM certificates")) {
        try (ResultSet rs = s.executeQuery(sql)) {
          while (rs.next()) {
            rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
          }
        }
      }
    }
    rows.sort(null);
    return rows;
  }

  private List<AuditRecord> audit() throws Exception {
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"))) {
      return AuditLog.page(c, 0, 1_000);
    }
  }

  private static void assertDenied(ThrowingCall call, String... words) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription()).contains(words);
            });
  }

  private interface ThrowingCall {
    void run() throws Exception;
  }

  @Test
  void anOpenTokenCannotReEnrolAnEnrolledNodeId() throws Exception {
    RegisterNodeResponse first = register(node.request(token("")).build());
    String open = token("");
    List<String> before = inventory();

    TestNode impostor = new TestNode(node.id, "evil-1");
    assertDenied(
        () -> register(impostor.request(open).build()),
        "already enrolled",
        "token create --node " + node.id);

    assertThat(inventory()).isEqualTo(before);
    assertThat(
            node.mtls(ctl, first.getCertificatePem())
                .heartbeat(HeartbeatRequest.getDefaultInstance())
                .hasHeartbeatInterval())
        .as("the real node keeps its certificate")
        .isTrue();
    assertThat(audit())
        .anySatisfy(
            r -> {
              assertThat(r.entry().result()).isEqualTo("refused");
              assertThat(r.entry().detail()).contains("reason=node-exists");
            });
  }

  @Test
  void aTokenBoundToTheNodeReEnrolsItAndTheAuditSaysItWasReplaced() throws Exception {
    register(node.request(token("")).build());
    node.keys = TestNode.ec("secp256r1");

    RegisterNodeResponse second = register(node.request(token(node.id)).build());

    assertThat(second.getNodeId()).isEqualTo(node.id);
    assertThat(audit())
        .anySatisfy(
            r -> {
              assertThat(r.entry().action()).isEqualTo("node.register");
              assertThat(r.entry().result()).isEqualTo("ok");
              assertThat(r.entry().detail()).contains("bound-token=yes", "replaced=yes");
            })
        .anySatisfy(r -> assertThat(r.entry().detail()).contains("node=" + node.id));
  }

  @Test
  void theCertificateOfAnEarlierEnrolmentIsRefusedTheCurrentOneAccepted() throws Exception {
    RegisterNodeResponse first = register(node.request(token("")).build());
    var firstKeys = node.keys;
    node.keys = TestNode.ec("secp256r1");
    var secondKeys = node.keys;
    RegisterNodeResponse second = register(node.request(token(node.id)).build());

    node.keys = firstKeys;
    var old = node.mtls(ctl, first.getCertificatePem());
    assertDenied(
        () -> old.heartbeat(HeartbeatRequest.getDefaultInstance()),
        "of node " + node.id + " was superseded at ",
        "(the node enrolled again); use its current certificate");

    node.keys = secondKeys;
    assertThat(
            node.mtls(ctl, second.getCertificatePem())
                .heartbeat(HeartbeatRequest.getDefaultInstance()))
        .isNotNull();
  }

  @Test
  void aRevokedNodesCertificateIsRefusedNamingWhenAndWhy() throws Exception {
    RegisterNodeResponse enrolled = register(node.request(token("")).build());
    ctl.operator()
        .revokeNode(
            RevokeNodeRequest.newBuilder().setNode(node.id).setReason("decommissioned").build());

    var stub = node.mtls(ctl, enrolled.getCertificatePem());
    assertDenied(
        () -> stub.heartbeat(HeartbeatRequest.getDefaultInstance()),
        "node " + node.id + " was revoked at ",
        " (decommissioned); its certificates are refused");
  }

  @Test
  void aTokenBoundToAnotherNodeIsRefused() throws Exception {
    String bound = token("some-other-node");
    List<String> before = inventory();

    assertDenied(() -> register(node.request(bound).build()), "bound to node id 'some-other-node'");

    assertThat(inventory()).isEqualTo(before);
  }

  @Test
  void anotherNodesAddressIsRefusedForTheCertificate() throws Exception {
    register(node.request(token("")).build());
    TestNode newcomer = new TestNode("newcomer-1", "newcomer-1");
    String tok = token("");
    List<String> before = inventory();

    assertDenied(
        () ->
            register(
                newcomer
                    .request(tok)
                    .setAgentAddress("[::ffff:" + node.address + "]:5000")
                    .build()),
        "belongs to node " + node.id);

    assertThat(inventory()).isEqualTo(before);
    // Under its own address it enrols.
    register(newcomer.request(tok).build());
  }

  @Test
  void heartbeatIdentityClaimsThatDifferFromTheCertificateAreIgnoredAndAuditedOnce()
      throws Exception {
    RegisterNodeResponse enrolled = register(node.request(token("")).build());
    var stub = node.mtls(ctl, enrolled.getCertificatePem());
    HeartbeatRequest lying =
        HeartbeatRequest.newBuilder()
            .setStatus(
                NodeStatus.newBuilder()
                    .setNode(
                        NodeIdentity.newBuilder()
                            .setNodeId("someone-else")
                            .setHostname("ceph-99")
                            .setAgentVersion("0.2.0"))
                    .setState(HealthState.HEALTH_OK))
            .setAgentAddress("203.0.113.50:5000")
            .build();

    stub.heartbeat(lying);
    stub.heartbeat(lying);

    NodeRecord record =
        ctl.operator().getNodeStatus(GetNodeStatusRequest.newBuilder().setNode(node.id).build());
    assertThat(record.getHostname()).isEqualTo(node.hostname);
    assertThat(record.getAgentAddress()).isEqualTo(node.address + ":5000");
    assertThat(record.getLastStatus().getNode().getNodeId()).isEqualTo(node.id);
    assertThat(record.getLastStatus().getNode().getHostname()).isEqualTo(node.hostname);
    assertThat(record.getLastStatus().getNode().getAgentVersion()).isEqualTo("0.2.0");
    List<AuditRecord> ignored =
        audit().stream().filter(r -> r.entry().action().equals("node.heartbeat")).toList();
    assertThat(ignored).hasSize(1);
    assertThat(ignored.get(0).entry().result()).isEqualTo("ignored");
    assertThat(ignored.get(0).entry().detail())
        .contains("someone-else", "ceph-99", "203.0.113.50:5000");

    // Honest again, then the address the heartbeat really comes from: both stored, nothing audited.
    stub.heartbeat(
        HeartbeatRequest.newBuilder()
            .setStatus(
                NodeStatus.newBuilder()
                    .setNode(
                        NodeIdentity.newBuilder()
                            .setNodeId(node.id)
                            .setHostname(node.hostname.toUpperCase(java.util.Locale.ROOT))))
            .setAgentAddress("127.0.0.1:5000")
            .build());
    assertThat(
            ctl.operator()
                .getNodeStatus(GetNodeStatusRequest.newBuilder().setNode(node.id).build())
                .getAgentAddress())
        .isEqualTo("127.0.0.1:5000");
    assertThat(audit().stream().filter(r -> r.entry().action().equals("node.heartbeat")))
        .hasSize(1);
  }
}
