package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.RegisterNodeRequest;
import org.debvisor.proto.RegisterNodeResponse;
import org.debvisor.proto.RevokeNodeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's own cluster for tokens naming none, and the node count per cluster on a real
 * controller and SQLite, after single and concurrent (group-committed) enrolments and revocation.
 */
class NodeCountTest {

  @TempDir Path state;

  @Test
  void nodesAreCountedPerClusterAndUnnamedOnesJoinTheControllersCluster() throws Exception {
    try (RunningController ctl = RunningController.start(state, s -> s.withCluster("lab"));
        TestNode plain = new TestNode("0a1b2c3d4e5f60718293a4b5c6d7e8f0", "plain-1");
        TestNode edge = new TestNode("0a1b2c3d4e5f60718293a4b5c6d7e8f1", "edge-1")) {
      assertThat(count(ctl, "lab")).isZero();

      enrol(ctl, plain, "");
      enrol(ctl, edge, "edge");

      assertThat(cluster(ctl, "plain-1")).isEqualTo("lab");
      assertThat(cluster(ctl, "edge-1")).isEqualTo("edge");
      assertThat(count(ctl, "lab")).isEqualTo(1.0);
      assertThat(count(ctl, "edge")).isEqualTo(1.0);

      ctl.operator()
          .revokeNode(RevokeNodeRequest.newBuilder().setNode("edge-1").setReason("test").build());

      assertThat(count(ctl, "edge")).isZero();
      assertThat(count(ctl, "lab")).isEqualTo(1.0);
    }
  }

  @Test
  void concurrentEnrolmentsAreAllCountedAtTheNextRead() throws Exception {
    int nodes = 12;
    ExecutorService agents = Executors.newFixedThreadPool(nodes);
    List<TestNode> enrolling = new ArrayList<>();
    try (RunningController ctl =
            RunningController.start(
                state,
                s ->
                    s.withCluster("lab")
                        .withRegisterLimit(new ControllerSettings.RateLimit(1_000, 1_000)));
        ControllerConnection anonymous = ctl.anonymous()) {
      assertThat(count(ctl, "lab")).isZero();
      List<RegisterNodeRequest> requests = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        TestNode node = new TestNode(String.format("%032x", 0xc0c0a00L + i), "burst-" + i);
        enrolling.add(node);
        requests.add(node.request(token(ctl, i % 3 == 0 ? "edge" : "")).build());
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Future<RegisterNodeResponse>> answers = new ArrayList<>();
      for (RegisterNodeRequest request : requests) {
        answers.add(
            agents.submit(
                () -> {
                  go.await();
                  return anonymous.controller(120).registerNode(request);
                }));
      }
      go.countDown();
      for (Future<RegisterNodeResponse> answer : answers) {
        answer.get(120, TimeUnit.SECONDS);
      }

      assertThat(count(ctl, "lab")).isEqualTo(8.0);
      assertThat(count(ctl, "edge")).isEqualTo(4.0);

      ctl.operator()
          .revokeNode(RevokeNodeRequest.newBuilder().setNode("burst-0").setReason("test").build());
      assertThat(count(ctl, "edge")).isEqualTo(3.0);
      assertThat(count(ctl, "lab")).isEqualTo(8.0);
    } finally {
      agents.shutdownNow();
      enrolling.forEach(TestNode::close);
    }
  }

  private static void enrol(RunningController ctl, TestNode node, String cluster) throws Exception {
    try (var anon = ctl.anonymous()) {
      anon.controller(120).registerNode(node.request(token(ctl, cluster)).build());
    }
  }

  private static String token(RunningController ctl, String cluster) {
    return ctl.operator()
        .createBootstrapToken(
            CreateBootstrapTokenRequest.newBuilder()
                .setTtl(Duration.newBuilder().setSeconds(600))
                .setCluster(cluster)
                .build())
        .getToken();
  }

  private static String cluster(RunningController ctl, String hostname) {
    return ctl.operator()
        .getNodeStatus(GetNodeStatusRequest.newBuilder().setNode(hostname).build())
        .getCluster();
  }

  private static double count(RunningController ctl, String cluster) {
    return ctl.registry.get("debvisor.node.count").tag("cluster", cluster).gauge().value();
  }
}
