package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import java.nio.file.Path;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.RegisterNodeResponse;
import org.debvisor.proto.RevokeNodeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code debvisor_cluster_health{cluster,status}} and {@code debvisor_nodes_stale{cluster}} on a
 * real controller, driven by real enrolments and heartbeats and a hand-moved clock.
 */
class ClusterHealthGaugesTest {

  @TempDir Path state;

  @Test
  void theClusterFollowsItsNodesHeartbeatsStalenessAndRevocation() throws Exception {
    try (RunningController ctl = RunningController.start(state, s -> s.withCluster("lab"));
        TestNode node = new TestNode("0a1b2c3d4e5f60718293a4b5c6d7e8f2", "edge-1")) {
      assertThat(status(ctl, "lab")).isEqualTo("unknown");

      RegisterNodeResponse enrolled = enrol(ctl, node, "edge");
      assertThat(status(ctl, "edge")).as("enrolled, not reported yet").isEqualTo("unknown");

      var stub = node.mtls(ctl, enrolled.getCertificatePem());
      stub.heartbeat(heartbeat(HealthState.HEALTH_OK));
      assertThat(status(ctl, "edge")).isEqualTo("ok");
      assertThat(status(ctl, "lab")).as("other clusters unaffected").isEqualTo("unknown");

      stub.heartbeat(heartbeat(HealthState.HEALTH_ERROR));
      assertThat(status(ctl, "edge")).isEqualTo("error");
      assertThat(stale(ctl, "edge")).isZero();

      ctl.clock.advance(java.time.Duration.ofSeconds(91)); // 3 heartbeat intervals of 30 s
      assertThat(status(ctl, "edge"))
          .as("stale: its last word no longer counts")
          .isEqualTo("unknown");
      assertThat(stale(ctl, "edge")).isEqualTo(1.0);

      ctl.operator()
          .revokeNode(RevokeNodeRequest.newBuilder().setNode("edge-1").setReason("test").build());
      assertThat(status(ctl, "edge")).isEqualTo("unknown");
      assertThat(stale(ctl, "edge")).as("revoked nodes are not stale").isZero();
    }
  }

  private static HeartbeatRequest heartbeat(HealthState state) {
    return HeartbeatRequest.newBuilder()
        .setStatus(NodeStatus.newBuilder().setState(state).setSummary(state.name()))
        .build();
  }

  private static RegisterNodeResponse enrol(RunningController ctl, TestNode node, String cluster)
      throws Exception {
    String token =
        ctl.operator()
            .createBootstrapToken(
                CreateBootstrapTokenRequest.newBuilder()
                    .setTtl(Duration.newBuilder().setSeconds(600))
                    .setCluster(cluster)
                    .build())
            .getToken();
    try (var anon = ctl.anonymous()) {
      return anon.controller(120).registerNode(node.request(token).build());
    }
  }

  /** The one status whose series is 1; also checks that exactly one is. */
  private static String status(RunningController ctl, String cluster) {
    String current = null;
    for (String status : ClusterHealth.STATUSES) {
      double value =
          ctl.registry
              .get("debvisor.cluster.health")
              .tags("cluster", cluster, "status", status)
              .gauge()
              .value();
      if (value == 1.0) {
        assertThat(current).as("two statuses at 1 for " + cluster).isNull();
        current = status;
      } else {
        assertThat(value).isZero();
      }
    }
    return current;
  }

  private static double stale(RunningController ctl, String cluster) {
    return ctl.registry.get("debvisor.nodes.stale").tag("cluster", cluster).gauge().value();
  }
}
