package org.debvisor.controller.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.server.RunningController;
import org.debvisor.controller.server.TestNode;
import org.debvisor.controller.ssh.SshTarget;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.NodeRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokens provision-node mints carry its profile and --cluster to the enrolled node. */
class MintedBootstrapTokensTest {

  @TempDir Path state;

  @Test
  void aMintedTokenPutsTheNodeInTheNamedCluster() throws Exception {
    try (RunningController ctl = RunningController.start(state);
        ControllerConnection operator =
            ControllerConnection.open(ctl.target(), ctl.caFile(), ctl.operatorToken());
        ControllerConnection anon = ctl.anonymous()) {
      MintedBootstrapTokens tokens =
          new MintedBootstrapTokens(operator, "ceph", "rack-2", Duration.ofHours(1), 30);
      MintedBootstrapTokens noCluster =
          new MintedBootstrapTokens(operator, "ceph", "", Duration.ofHours(1), 30);

      anon.controller(120)
          .registerNode(
              new TestNode("id-r2", "r2-1")
                  .request(tokens.tokenFor(SshTarget.parse("r2-1")))
                  .build());
      anon.controller(120)
          .registerNode(
              new TestNode("id-d", "d-1")
                  .request(noCluster.tokenFor(SshTarget.parse("d-1")))
                  .build());

      NodeRecord inRack = ctl.operator().getNodeStatus(request("id-r2"));
      assertThat(inRack.getCluster()).isEqualTo("rack-2");
      assertThat(inRack.getProfile()).isEqualTo("ceph");
      assertThat(ctl.operator().getNodeStatus(request("id-d")).getCluster()).isEqualTo("default");
    }
  }

  private static GetNodeStatusRequest request(String node) {
    return GetNodeStatusRequest.newBuilder().setNode(node).build();
  }
}
