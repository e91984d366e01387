package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import java.nio.file.Path;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.RevokeNodeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller's own cluster for tokens naming none, and the node count per cluster. */
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

  private static void enrol(RunningController ctl, TestNode node, String cluster) throws Exception {
    String token =
        ctl.operator()
            .createBootstrapToken(
                CreateBootstrapTokenRequest.newBuilder()
                    .setTtl(Duration.newBuilder().setSeconds(600))
                    .setCluster(cluster)
                    .build())
            .getToken();
    try (var anon = ctl.anonymous()) {
      anon.controller(120).registerNode(node.request(token).build());
    }
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
