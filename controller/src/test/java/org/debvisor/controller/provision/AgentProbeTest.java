package org.debvisor.controller.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.GetNodeStatusRequest;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.NodeStatus;
import org.junit.jupiter.api.Test;

class AgentProbeTest {

  private static NodeStatus report(HealthState state) {
    NodeStatus.Builder b =
        NodeStatus.newBuilder()
            .setNode(NodeIdentity.newBuilder().setHostname("n1").setAgentVersion("0.1.0"));
    return state == null ? b.build() : b.setState(state).build();
  }

  @Test
  void okAndWarnAreHealthyErrorAndUnknownAreNot() {
    assertThat(AgentProbe.judge(report(HealthState.HEALTH_OK)))
        .isEqualTo(new AgentProbe.Verdict(true, "agent on n1 reports HEALTH_OK, agent 0.1.0"));
    assertThat(AgentProbe.judge(report(HealthState.HEALTH_WARN)).healthy()).isTrue();
    assertThat(AgentProbe.judge(report(HealthState.HEALTH_ERROR)).healthy()).isFalse();
    // proto3 leaves the zero value (unspecified) out.
    assertThat(AgentProbe.judge(report(null)).healthy()).isFalse();
    assertThat(AgentProbe.judge(report(null)).description()).contains("HEALTH_UNKNOWN");
  }

  @Test
  void enrolmentIsAskedOfTheController() throws Exception {
    Server controller =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new ControllerGrpc.ControllerImplBase() {
                  @Override
                  public void getNodeStatus(
                      GetNodeStatusRequest request, StreamObserver<NodeRecord> answer) {
                    if (request.getNode().equals("n1")) {
                      answer.onNext(NodeRecord.newBuilder().setHostname("n1").build());
                      answer.onCompleted();
                    } else {
                      answer.onError(Status.NOT_FOUND.asRuntimeException());
                    }
                  }
                })
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", controller.getPort()).usePlaintext().build();
    try {
      String target = "127.0.0.1:" + controller.getPort();
      AgentProbe.Enrolment enrolment =
          AgentProbe.Enrolment.askingController(
              () -> ControllerGrpc.newBlockingStub(channel), target);

      assertThat(enrolment.check(null, "n1")).isEmpty();
      assertThat(enrolment.check(null, "n2"))
          .hasValueSatisfying(why -> assertThat(why).contains("the controller does not know n2"));
      controller.shutdownNow().awaitTermination();
      // The open connection ends with a GOAWAY first; the refusal is what the next connect gets.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (channel.getState(false) == ConnectivityState.READY && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(enrolment.check(null, "n1"))
          .hasValueSatisfying(
              why ->
                  assertThat(why)
                      .startsWith(
                          "cannot ask the controller: connection to " + target + " refused"));
    } finally {
      channel.shutdownNow();
      controller.shutdownNow();
    }
  }
}
