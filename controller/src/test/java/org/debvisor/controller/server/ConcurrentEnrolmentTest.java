package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.Database;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.RegisterNodeResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrolments arriving together through a real controller over TLS (they share group commits): each
 * gets its own certificate, each is audited once, and one with a used token among them is refused
 * alone, leaving no node behind.
 */
class ConcurrentEnrolmentTest {

  private static final int NODES = 16;

  @TempDir Path state;

  @Test
  void concurrentEnrolmentsAllSucceedOnceAndABadOneAmongThemFailsAlone() throws Exception {
    ExecutorService agents = Executors.newFixedThreadPool(NODES + 1);
    try (RunningController ctl =
            RunningController.start(
                state, s -> s.withRegisterLimit(new ControllerSettings.RateLimit(1_000, 1_000)));
        ControllerConnection anonymous = ctl.anonymous()) {
      List<TestNode> nodes = new ArrayList<>();
      Map<String, String> tokens = new HashMap<>();
      for (int i = 0; i < NODES; i++) {
        TestNode node = new TestNode(String.format("%032x", 0xc0ffee00L + i), "node-" + i);
        nodes.add(node);
        tokens.put(node.id, token(ctl));
      }
      // The intruder replays the token of node-0: whoever of the two commits second is refused.
      TestNode intruder = new TestNode(String.format("%032x", 0xbadL), "intruder");
      String usedToken = token(ctl);
      anonymous.controller(120).registerNode(nodes.get(0).request(usedToken).build());
      int registersBefore = registerRows(ctl);

      CountDownLatch go = new CountDownLatch(1);
      List<Future<RegisterNodeResponse>> answers = new ArrayList<>();
      for (TestNode node : nodes.subList(1, NODES)) {
        var request = node.request(tokens.get(node.id)).build();
        answers.add(
            agents.submit(
                () -> {
                  go.await();
                  return anonymous.controller(120).registerNode(request);
                }));
      }
      var replay = intruder.request(usedToken).build();
      Future<RegisterNodeResponse> refused =
          agents.submit(
              () -> {
                go.await();
                return anonymous.controller(120).registerNode(replay);
              });
      go.countDown();

      for (int i = 0; i < answers.size(); i++) {
        RegisterNodeResponse answer = answers.get(i).get(120, TimeUnit.SECONDS);
        TestNode node = nodes.get(i + 1);
        assertThat(answer.getNodeId()).isEqualTo(node.id);
        assertThat(TestNode.certificate(answer.getCertificatePem()).getPublicKey())
            .isEqualTo(node.keys.getPublic());
      }
      try {
        refused.get(120, TimeUnit.SECONDS);
        throw new AssertionError("the replayed token was accepted");
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) e.getCause()).getStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("was already used at");
      }

      List<NodeRecord> listed =
          ctl.operator().listNodes(ListNodesRequest.getDefaultInstance()).getNodesList();
      assertThat(listed)
          .extracting(NodeRecord::getNodeId)
          .containsExactlyInAnyOrderElementsOf(nodes.stream().map(n -> n.id).toList());
      try (java.sql.Connection c = Database.readOnlyConnection(state.resolve("controller.db"))) {
        Map<String, Integer> audited = registersByNode(c);
        for (TestNode node : nodes) {
          assertThat(audited.get(node.id)).as("node.register rows of " + node.id).isEqualTo(1);
        }
        assertThat(audited).doesNotContainKey(intruder.id);
        assertThat(audited.values().stream().mapToInt(Integer::intValue).sum())
            .isEqualTo(registersBefore + NODES - 1);
        AuditVerifier.Result chain = new AuditVerifier().verify(c);
        assertThat(chain.intact()).as(chain.problem()).isTrue();
      }
      nodes.forEach(TestNode::close);
      intruder.close();
    } finally {
      agents.shutdownNow();
    }
  }

  private static String token(RunningController ctl) {
    return ctl.operator()
        .createBootstrapToken(
            CreateBootstrapTokenRequest.newBuilder()
                .setTtl(Duration.newBuilder().setSeconds(3600))
                .build())
        .getToken();
  }

  private static int registerRows(RunningController ctl) throws Exception {
    try (java.sql.Connection c =
        Database.readOnlyConnection(ctl.stateDir.resolve("controller.db"))) {
      return registersByNode(c).values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** Successful node.register audit rows per node id. */
  static Map<String, Integer> registersByNode(java.sql.Connection c) throws java.sql.SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT target, COUNT(*) FROM audit_log"
                    + " WHERE action = 'node.register' AND result = 'ok' GROUP BY target");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getInt(2));
      }
    }
    return counts;
  }
}
