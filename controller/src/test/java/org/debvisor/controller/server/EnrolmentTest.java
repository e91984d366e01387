package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.inventory.Database;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.EnrolmentState;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.HeartbeatResponse;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.RegisterNodeResponse;
import org.debvisor.proto.RenewCertificateRequest;
import org.debvisor.proto.RenewCertificateResponse;
import org.debvisor.proto.RevokeNodeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrolment, heartbeat, renewal and revocation against a real controller over real TLS. */
class EnrolmentTest {

  @TempDir Path state;

  private RunningController ctl;
  private final TestNode node = new TestNode("0a1b2c3d4e5f60718293a4b5c6d7e8f9", "ceph-1");

  @BeforeEach
  void start() throws Exception {
    ctl = RunningController.start(state);
  }

  @AfterEach
  void stop() {
    node.close();
    ctl.close();
  }

  private String token(String hostname) {
    return ctl.operator()
        .createBootstrapToken(
            CreateBootstrapTokenRequest.newBuilder()
                .setTtl(Duration.newBuilder().setSeconds(3600))
                .setHostname(hostname)
                .build())
        .getToken();
  }

  private RegisterNodeResponse enrol() {
    try (var anon = ctl.anonymous()) {
      return anon.controller(120).registerNode(node.request(token("")).build());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void enrolmentIssuesACertificateForTheNodeThatChainsToTheCa() throws Exception {
    RegisterNodeResponse response = enrol();

    X509Certificate cert = TestNode.certificate(response.getCertificatePem());
    X509Certificate ca = TestNode.certificate(response.getCaBundlePem());
    cert.verify(ca.getPublicKey());
    assertThat(ca).isEqualTo(ctl.controller.certificateAuthority().certificate());
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=" + node.id);
    assertThat(cert.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(san -> (Object) san.get(1))
        .containsExactlyInAnyOrder("ceph-1", node.address);
    assertThat(cert.getSerialNumber().signum()).isPositive();
    assertThat(cert.getSerialNumber().bitLength()).isBetween(100, 128);
    long days =
        java.time.Duration.between(ctl.clock.instant(), cert.getNotAfter().toInstant()).toDays();
    assertThat(days).isBetween(6L, 7L);
    assertThat(response.getRenewBefore().getSeconds()).isEqualTo(2 * 86400);
    assertThat(response.getNodeId()).isEqualTo(node.id);

    NodeRecord record =
        ctl.operator().getNodeStatus(GetNodeStatusRequest.newBuilder().setNode("ceph-1").build());
    assertThat(record.getNodeId()).isEqualTo(node.id);
    assertThat(record.getEnrolment()).isEqualTo(EnrolmentState.ENROLMENT_ACTIVE);
    assertThat(record.getProfile()).isEqualTo("ceph");
    assertThat(record.getArch()).isEqualTo("amd64");
    assertThat(record.getFacts().getDisksCount()).isEqualTo(4);
    assertThat(record.getCertificateSerial()).isEqualTo(cert.getSerialNumber().toString(16));
    assertThat(ctl.registry.get("debvisor.node.count").gauge().value()).isEqualTo(1.0);
  }

  @Test
  void anAgentServingLoopbackOnlyEnrolsWithoutAnAddress() throws Exception {
    RegisterNodeResponse response;
    try (var anon = ctl.anonymous()) {
      response =
          anon.controller(120).registerNode(node.request(token("")).setAgentAddress("").build());
    }

    X509Certificate cert = TestNode.certificate(response.getCertificatePem());
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(san -> (Object) san.get(1))
        .containsExactly("ceph-1");
    NodeRecord record =
        ctl.operator().getNodeStatus(GetNodeStatusRequest.newBuilder().setNode("ceph-1").build());
    assertThat(record.getAgentAddress()).isEmpty();
  }

  @Test
  void heartbeatOverMutualTlsStoresStatusAndAsksForRenewalInTheWindow() {
    RegisterNodeResponse enrolled = enrol();
    var stub = node.mtls(ctl, enrolled.getCertificatePem());

    HeartbeatResponse fresh =
        stub.heartbeat(
            HeartbeatRequest.newBuilder()
                .setStatus(
                    NodeStatus.newBuilder()
                        .setState(HealthState.HEALTH_WARN)
                        .setSummary("ceph: WARN"))
                .setAgentAddress(node.address + ":5001")
                .build());
    assertThat(fresh.getRenewCertificate()).isFalse();
    assertThat(fresh.getHeartbeatInterval().getSeconds()).isEqualTo(30);

    NodeRecord record =
        ctl.operator().getNodeStatus(GetNodeStatusRequest.newBuilder().setNode(node.id).build());
    assertThat(record.getLastStatus().getSummary()).isEqualTo("ceph: WARN");
    assertThat(record.getAgentAddress()).isEqualTo(node.address + ":5001");
    assertThat(record.hasLastSeen()).isTrue();
    assertThat(record.getFacts().getDisksCount()).as("facts kept when not resent").isEqualTo(4);

    ctl.clock.advance(java.time.Duration.ofDays(5).plusHours(1));
    assertThat(stub.heartbeat(HeartbeatRequest.getDefaultInstance()).getRenewCertificate())
        .isTrue();
  }

  @Test
  void renewalIssuesANewCertificateForANewKeyAndTheOldOneStillIdentifiesTheNode() throws Exception {
    RegisterNodeResponse enrolled = enrol();
    var stub = node.mtls(ctl, enrolled.getCertificatePem());
    var newKeys = TestNode.ec("secp384r1");

    RenewCertificateResponse renewed =
        stub.renewCertificate(
            RenewCertificateRequest.newBuilder()
                .setCsrDer(com.google.protobuf.ByteString.copyFrom(node.csr(newKeys)))
                .build());

    X509Certificate cert = TestNode.certificate(renewed.getCertificatePem());
    cert.verify(ctl.controller.certificateAuthority().certificate().getPublicKey());
    assertThat(cert.getPublicKey()).isEqualTo(newKeys.getPublic());
    assertThat(cert.getSubjectX500Principal().getName()).contains("CN=" + node.id);
    NodeRecord record =
        ctl.operator().getNodeStatus(GetNodeStatusRequest.newBuilder().setNode(node.id).build());
    assertThat(record.getCertificateSerial()).isEqualTo(cert.getSerialNumber().toString(16));

    node.keys = newKeys;
    assertThat(
            node.mtls(ctl, renewed.getCertificatePem())
                .heartbeat(HeartbeatRequest.getDefaultInstance())
                .hasHeartbeatInterval())
        .isTrue();
  }

  @Test
  void renewalRefusesACsrNamingAnotherNode() {
    RegisterNodeResponse enrolled = enrol();
    var stub = node.mtls(ctl, enrolled.getCertificatePem());
    TestNode other = new TestNode("other-node", "other");

    assertThatThrownBy(
            () ->
                stub.renewCertificate(
                    RenewCertificateRequest.newBuilder()
                        .setCsrDer(com.google.protobuf.ByteString.copyFrom(other.csr(other.keys)))
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("csr_der").contains("other-node");
            });
  }

  @Test
  void revokedNodeIsRefusedForHeartbeatRenewalAndReEnrolment() {
    RegisterNodeResponse enrolled = enrol();
    var stub = node.mtls(ctl, enrolled.getCertificatePem());
    stub.heartbeat(HeartbeatRequest.getDefaultInstance());

    NodeRecord revoked =
        ctl.operator()
            .revokeNode(
                RevokeNodeRequest.newBuilder().setNode("ceph-1").setReason("disk stolen").build())
            .getNode();
    assertThat(revoked.getEnrolment()).isEqualTo(EnrolmentState.ENROLMENT_REVOKED);

    assertThatThrownBy(() -> stub.heartbeat(HeartbeatRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription())
                  .contains("revoked")
                  .contains("disk stolen");
            });
    assertThatThrownBy(
            () ->
                stub.renewCertificate(
                    RenewCertificateRequest.newBuilder()
                        .setCsrDer(com.google.protobuf.ByteString.copyFrom(node.csr(node.keys)))
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    String fresh = token("");
    assertThatThrownBy(() -> enrolWith(fresh))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription()).contains("revoked");
            });
    assertThat(ctl.registry.get("debvisor.node.count").gauge().value()).isZero();
  }

  private void enrolWith(String token) throws Exception {
    try (var anon = ctl.anonymous()) {
      anon.controller(120).registerNode(node.request(token).build());
    }
  }

  @Test
  void nodeCallsNeedAClientCertificateAndOperatorCallsTheOperatorToken() throws Exception {
    try (var anon = ctl.anonymous()) {
      assertThatThrownBy(
              () -> anon.controller(120).heartbeat(HeartbeatRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).contains("client certificate");
              });
      assertThatThrownBy(
              () -> anon.controller(120).listNodes(ListNodesRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).contains("Bearer");
              });
    }
    try (var wrong =
        org.debvisor.controller.client.ControllerConnection.open(
            ctl.target(), ctl.caFile(), "dvo_not-the-token")) {
      assertThatThrownBy(
              () -> wrong.controller(120).listNodes(ListNodesRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).contains("operator token is wrong");
              });
    }
  }

  @Test
  void everyActionIsInTheAuditChain() throws Exception {
    enrol();
    ctl.operator().revokeNode(RevokeNodeRequest.newBuilder().setNode(node.id).build());

    try (var c = Database.readOnlyConnection(state.resolve("controller.db"))) {
      AuditVerifier.Result result = new AuditVerifier().verify(c);
      assertThat(result.intact()).isTrue();
      assertThat(result.checked()).isEqualTo(3);
      List<String> actions =
          org.debvisor.controller.audit.AuditLog.page(c, 0, 10).stream()
              .map(r -> r.entry().action() + "/" + r.entry().result() + "/" + r.entry().source())
              .toList();
      assertThat(actions)
          .containsExactly(
              "token.create/ok/127.0.0.1",
              "node.register/ok/127.0.0.1",
              "node.revoke/ok/127.0.0.1");
    }
  }

  @Test
  void reEnrolmentWithATokenBoundToTheNodeSupersedesTheOldCertificate() throws Exception {
    RegisterNodeResponse first = enrol();
    var oldKeys = node.keys;
    node.keys = TestNode.ec("secp256r1");
    String bound =
        ctl.operator()
            .createBootstrapToken(
                CreateBootstrapTokenRequest.newBuilder()
                    .setTtl(Duration.newBuilder().setSeconds(3600))
                    .setNodeId(node.id)
                    .build())
            .getToken();
    RegisterNodeResponse second;
    try (var anon = ctl.anonymous()) {
      second = anon.controller(120).registerNode(node.request(bound).build());
    }
    assertThat(second.getCertificatePem()).isNotEqualTo(first.getCertificatePem());

    assertThat(
            node.mtls(ctl, second.getCertificatePem())
                .heartbeat(HeartbeatRequest.getDefaultInstance())
                .hasHeartbeatInterval())
        .isTrue();
    node.keys = oldKeys;
    var oldStub = node.mtls(ctl, first.getCertificatePem());
    assertThatThrownBy(() -> oldStub.heartbeat(HeartbeatRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
              assertThat(e.getStatus().getDescription()).contains("superseded");
            });
  }
}
