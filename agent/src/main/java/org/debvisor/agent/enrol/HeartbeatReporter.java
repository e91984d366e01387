package org.debvisor.agent.enrol;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.HeartbeatResponse;
import org.debvisor.proto.NodeStatus;

/**
 * Sends one Heartbeat: the latest node status, plus the hardware facts on the first heartbeat and
 * whenever their fingerprint changed since the controller last accepted them.
 */
final class HeartbeatReporter {

  private static final long DEADLINE_SECONDS = 15;

  private final Supplier<NodeStatus> status;
  private final Supplier<HardwareFacts> facts;
  private final String agentAddress;
  private String acceptedFingerprint;

  HeartbeatReporter(
      Supplier<NodeStatus> status, Supplier<HardwareFacts> facts, String agentAddress) {
    this.status = status;
    this.facts = facts;
    this.agentAddress = agentAddress;
  }

  /**
   * @throws StatusRuntimeException when the controller refuses or cannot be reached
   */
  HeartbeatResponse beat(ManagedChannel mutualChannel) {
    HardwareFacts current = facts.get();
    boolean sendFacts = !current.getFingerprint().equals(acceptedFingerprint);
    HeartbeatRequest.Builder request =
        HeartbeatRequest.newBuilder().setStatus(status.get()).setAgentAddress(agentAddress);
    if (sendFacts) {
      request.setFacts(current);
    }
    HeartbeatResponse response =
        ControllerGrpc.newBlockingStub(mutualChannel)
            .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
            .heartbeat(request.build());
    if (sendFacts) {
      acceptedFingerprint = current.getFingerprint();
    }
    return response;
  }

  /** Sends the facts again with the next heartbeat (e.g. after enrolling anew). */
  void forgetFacts() {
    acceptedFingerprint = null;
  }
}
