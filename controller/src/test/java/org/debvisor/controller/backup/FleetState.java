package org.debvisor.controller.backup;

import com.google.protobuf.Duration;
import java.io.IOException;
import java.nio.file.Path;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.RegisterNodeResponse;

/** Test helpers: enrol a node into a real controller and heartbeat with its certificate. */
final class FleetState {

  private FleetState() {}

  /** Enrols {@code node} and returns its certificate (PEM). */
  static String enrol(RunningController ctl, TestNode node) throws IOException {
    String token =
        ctl.operator()
            .createBootstrapToken(
                CreateBootstrapTokenRequest.newBuilder()
                    .setTtl(Duration.newBuilder().setSeconds(3600))
                    .setHostname(node.hostname)
                    .build())
            .getToken();
    try (var anon = ctl.anonymous()) {
      RegisterNodeResponse response =
          anon.controller(120).registerNode(node.request(token).build());
      return response.getCertificatePem();
    }
  }

  /** One heartbeat over mTLS with {@code certificatePem}; throws when the controller refuses. */
  static void heartbeat(RunningController ctl, TestNode node, String certificatePem) {
    node.mtls(ctl, certificatePem)
        .heartbeat(
            HeartbeatRequest.newBuilder()
                .setStatus(NodeStatus.newBuilder().setState(HealthState.HEALTH_OK).setSummary("ok"))
                .build());
  }

  static Path stateOf(RunningController ctl) {
    return ctl.stateDir;
  }
}
