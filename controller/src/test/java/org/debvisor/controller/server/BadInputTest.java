package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.util.List;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.RegisterNodeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input names the field and the rule, and leaves the inventory and the token untouched. */
class BadInputTest {

  @TempDir static Path state;

  private static RunningController ctl;
  private static ControllerConnection anonymous;

  @BeforeAll
  static void start() throws Exception {
    ctl = RunningController.start(state);
    anonymous = ctl.anonymous();
  }

  @AfterAll
  static void stop() {
    anonymous.close();
    ctl.close();
  }

  private static String token() {
    return ctl.operator()
        .createBootstrapToken(
            CreateBootstrapTokenRequest.newBuilder()
                .setTtl(Duration.newBuilder().setSeconds(3600))
                .build())
        .getToken();
  }

  private static List<String> violations(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).isNotNull();
    return status.getDetailsList().stream()
        .filter(a -> a.is(BadRequest.class))
        .flatMap(
            a -> {
              try {
                return a.unpack(BadRequest.class).getFieldViolationsList().stream();
              } catch (Exception ex) {
                throw new IllegalStateException(ex);
              }
            })
        .map(v -> v.getField() + ": " + v.getDescription())
        .toList();
  }

  private static StatusRuntimeException register(RegisterNodeRequest request) {
    try {
      anonymous.controller(120).registerNode(request);
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("accepted");
  }

  private static int nodeCount() {
    return ctl.operator().listNodes(ListNodesRequest.getDefaultInstance()).getNodesCount();
  }

  @Test
  void missingAndMalformedFieldsAreEachNamedAndTheTokenStaysUnused() {
    String token = token();
    TestNode node = new TestNode("bad-input-node", "ok-host");
    int before = nodeCount();

    StatusRuntimeException e =
        register(
            node.request(token)
                .setNodeId("")
                .setHostname("bad host\nname")
                .setProfile("mainframe")
                .setAgentAddress("10.0.0.1")
                .setCsrDer(ByteString.copyFromUtf8("not a csr"))
                .build());

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violations(e))
        .anySatisfy(v -> assertThat(v).startsWith("node_id: is required"))
        .anySatisfy(v -> assertThat(v).startsWith("hostname:").contains("not a hostname"))
        .anySatisfy(v -> assertThat(v).startsWith("profile:").contains("ceph, hypervisor or k8s"))
        .anySatisfy(v -> assertThat(v).startsWith("agent_address:").contains("host:port"))
        .anySatisfy(v -> assertThat(v).startsWith("csr_der:").contains("PKCS#10"));
    assertThat(e.getStatus().getDescription()).doesNotContain("\n");
    assertThat(nodeCount()).isEqualTo(before);
    // The token was not consumed by the refused call.
    anonymous.controller(120).registerNode(node.request(token).build());
    assertThat(nodeCount()).isEqualTo(before + 1);
  }

  @Test
  void weakOrForeignKeysAndBrokenSignaturesAreRefused() {
    String token = token();
    TestNode node = new TestNode("weak-key-node", "weak");

    StatusRuntimeException rsa1024 =
        register(
            node.request(token)
                .setCsrDer(ByteString.copyFrom(node.csr(TestNode.rsa(1024))))
                .build());
    assertThat(violations(rsa1024)).singleElement().asString().contains("csr_der").contains("2048");

    StatusRuntimeException p521 =
        register(
            node.request(token)
                .setCsrDer(ByteString.copyFrom(node.csr(TestNode.ec("secp521r1"))))
                .build());
    assertThat(violations(p521)).singleElement().asString().contains("P-256 or P-384");

    byte[] tampered = node.csr(node.keys);
    tampered[tampered.length - 5] ^= 0x01;
    StatusRuntimeException broken =
        register(node.request(token).setCsrDer(ByteString.copyFrom(tampered)).build());
    assertThat(violations(broken)).singleElement().asString().startsWith("csr_der:");

    // RSA 2048 is accepted.
    anonymous
        .controller(120)
        .registerNode(
            node.request(token)
                .setCsrDer(ByteString.copyFrom(node.csr(TestNode.rsa(2048))))
                .build());
  }

  @Test
  void tokenTtlOutsideItsRangeIsRefused() {
    for (long seconds : new long[] {0, 59, 30L * 86400 + 1}) {
      assertThatThrownBy(
              () ->
                  ctl.operator()
                      .createBootstrapToken(
                          CreateBootstrapTokenRequest.newBuilder()
                              .setTtl(Duration.newBuilder().setSeconds(seconds))
                              .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(violations(e)).singleElement().asString().startsWith("ttl:");
              });
    }
  }

  @Test
  void badSelectorNamesTheTerm() {
    assertThatThrownBy(
            () ->
                ctl.operator()
                    .listNodes(
                        ListNodesRequest.newBuilder().setSelector("arch=arm64,disks>=4").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(violations(e))
                  .singleElement()
                  .asString()
                  .startsWith("selector:")
                  .contains("'disks'");
            });
  }

  @Test
  void unknownNodeIsNotFound() {
    assertThatThrownBy(
            () ->
                ctl.operator()
                    .getNodeStatus(GetNodeStatusRequest.newBuilder().setNode("nope").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).contains("'nope'");
            });
  }
}
